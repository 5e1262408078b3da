/// Everything a command needs: the data (files or the sample shop), the schema
/// the rules are checked against, and the compiled rules. Each command opens a
/// workspace the same way, so they all agree on what a rule means.
public struct Workspace: Sendable {
    public struct Options: Sendable {
        public var rules: [String]
        public var customers: String?
        public var orders: String?
        public var schema: String?
        public var skipBadRows: Bool
        /// Load only the order fields the rules name, for a command that reads
        /// nothing else, like `perk run` (see `OrderFieldSelection`).
        public var loadsOnlyNamedOrderFields: Bool

        public init(rules: [String], customers: String? = nil, orders: String? = nil, schema: String? = nil,
                    skipBadRows: Bool = false, loadsOnlyNamedOrderFields: Bool = false) {
            self.rules = rules
            self.customers = customers
            self.orders = orders
            self.schema = schema
            self.skipBadRows = skipBadRows
            self.loadsOnlyNamedOrderFields = loadsOnlyNamedOrderFields
        }
    }

    public var data: DataSet
    public var compilation: Compilation
    public var sources: [SourceFile]

    public var program: CheckedProgram? { compilation.program }

    /// Loads data and rules. Diagnostics cover the data, the schema file and the
    /// rules; the workspace is nil when the data could not be loaded.
    public static func open(_ options: Options) -> (Workspace?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var declarations: SchemaDeclarations?
        if let path = options.schema {
            var found: [Diagnostic] = []
            guard let source = RuleSources.read(path, into: &found) else { return (nil, diagnostics + found) }
            let (decl, problems) = SchemaFile.parse(source)
            diagnostics += problems
            guard !problems.hasErrors else { return (nil, diagnostics) }
            declarations = decl
        }
        if options.orders != nil, options.customers == nil {
            diagnostics.append(FileError.ordersWithoutCustomers())
            return (nil, diagnostics)
        }
        // The rules are read before the data, which may be loaded for them alone.
        let rules = RuleSources.load(options.rules)
        let data: DataSet
        if let customers = options.customers {
            let fields: OrderFieldSelection = options.loadsOnlyNamedOrderFields ? .named(in: rules.files) : .all
            let (loaded, found) = DataSet.load(customers: customers, orders: options.orders,
                                               options: LoadOptions(skipBadRows: options.skipBadRows, schema: declarations,
                                                                    orderFields: fields))
            diagnostics += found
            guard let loaded else { return (nil, diagnostics) }
            data = loaded
        } else if let declarations {
            // A schema alone: rules are checked against its columns, with no customers.
            data = DataSet.declared(declarations)
        } else {
            data = DataSet.sampleShop()
        }
        let (workspace, problems) = Workspace.compile(rules, data: data)
        return (workspace, diagnostics + problems)
    }

    /// The same data with other rules, as `perk simulate --compare` needs them.
    public func with(rules paths: [String]) -> (Workspace, [Diagnostic]) {
        Workspace.compile(RuleSources.load(paths), data: data)
    }

    private static func compile(_ rules: (files: [SourceFile], diagnostics: [Diagnostic]), data: DataSet) -> (Workspace, [Diagnostic]) {
        let (sources, sourceProblems) = rules
        let compilation = Compiler.compile(sources, schema: Schema(customers: data.customers, orders: data.orders))
        return (Workspace(data: data, compilation: compilation, sources: sources), sourceProblems + compilation.diagnostics)
    }
}
