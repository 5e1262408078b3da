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

        public init(rules: [String], customers: String? = nil, orders: String? = nil, schema: String? = nil, skipBadRows: Bool = false) {
            self.rules = rules
            self.customers = customers
            self.orders = orders
            self.schema = schema
            self.skipBadRows = skipBadRows
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
            diagnostics.append(Diagnostic(.error, "F004", "--orders needs --customers: the customers file says who the orders belong to"))
            return (nil, diagnostics)
        }
        let data: DataSet
        if let customers = options.customers {
            let (loaded, found) = DataSet.load(customers: customers, orders: options.orders,
                                               options: LoadOptions(skipBadRows: options.skipBadRows, schema: declarations))
            diagnostics += found
            guard let loaded else { return (nil, diagnostics) }
            data = loaded
        } else if let declarations {
            // A schema alone: rules are checked against its columns, with no customers.
            data = DataSet.declared(declarations)
        } else {
            data = DataSet.sampleShop()
        }
        let (sources, sourceProblems) = RuleSources.load(options.rules)
        diagnostics += sourceProblems
        let schema = Schema(customers: data.customers, orders: data.orders)
        let compilation = Compiler.compile(sources, schema: schema)
        diagnostics += compilation.diagnostics
        return (Workspace(data: data, compilation: compilation, sources: sources), diagnostics)
    }
}
