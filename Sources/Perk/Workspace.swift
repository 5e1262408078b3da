/// Everything a command needs: the data (files or the sample shop), the schema
/// the rules are checked against, and the compiled rules. Each command opens a
/// workspace the same way, so they all agree on what a rule means.
///
/// Opening goes schema first: the data files' headers and first rows (or a
/// schema file) give the schema, the rules are checked against it, and only
/// rules without errors get their rows loaded. A misspelt field is reported
/// in milliseconds whatever the size of the data.
public struct Workspace: Sendable {
    public struct Options: Sendable {
        public var rules: [String]
        public var customers: String?
        public var orders: String?
        public var schema: String?
        public var skipBadRows: Bool
        /// Load only the order fields the rules read, for a command that reads
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

    /// What opening found, part by part, so a command counts and shows each
    /// part as it is rather than taking one list apart again.
    public struct Opening: Sendable {
        /// The schema file's problems.
        public var schemaDiagnostics: [Diagnostic] = []
        /// The data files' problems (headers, rows, cells) and data options'
        /// (F004); empty when the rules' errors stopped the rows from loading.
        public var dataDiagnostics: [Diagnostic] = []
        /// Rules files or folders that could not be read (F001–F003).
        public var ruleFileDiagnostics: [Diagnostic] = []
        /// The rules checked against the data's schema; nil when there was no
        /// schema to check them against (the data or schema file failed).
        public var compilation: Compilation?
        public var sources: [SourceFile] = []
        /// The loaded data; nil when loading failed, or was not tried because
        /// the rules have errors, or when a schema file alone was given.
        public var data: DataSet?
        /// The schema file's declarations, when one was given and read.
        public var declarations: SchemaDeclarations?

        /// Empty tables with a schema file's columns, for the commands that
        /// need tables even with no data (lint needs none).
        public var schemaOnlyData: DataSet? { declarations.map(DataSet.declared) }

        /// Everything but the compilation's own diagnostics, in the order shown.
        public var loadDiagnostics: [Diagnostic] { schemaDiagnostics + dataDiagnostics + ruleFileDiagnostics }

        /// Every diagnostic, in the order the commands show them.
        public var diagnostics: [Diagnostic] { loadDiagnostics + (compilation?.diagnostics ?? []) }

        /// True when the rules' errors stopped the data from loading.
        public var rulesStoppedTheLoad: Bool { data == nil && (compilation?.errorCount ?? 0) > 0 }

        /// The workspace, when there is data to run the rules on.
        public var workspace: Workspace? {
            guard let data, let compilation else { return nil }
            return Workspace(data: data, compilation: compilation, sources: sources)
        }
    }

    public var data: DataSet
    public var compilation: Compilation
    public var sources: [SourceFile]

    public var program: CheckedProgram? { compilation.program }

    /// Opens the data and rules, schema first (see the type's comment).
    public static func open(_ options: Options) -> Opening {
        var opening = Opening()
        var declarations: SchemaDeclarations?
        if let path = options.schema {
            guard let source = RuleSources.read(path, into: &opening.schemaDiagnostics) else { return opening }
            let (decl, problems) = SchemaFile.parse(source)
            opening.schemaDiagnostics += problems
            guard !problems.hasErrors else { return opening }
            declarations = decl
            opening.declarations = decl
        }
        if options.orders != nil, options.customers == nil {
            opening.dataDiagnostics.append(FileError.ordersWithoutCustomers())
            return opening
        }
        let rules = RuleSources.load(options.rules)
        opening.sources = rules.files
        opening.ruleFileDiagnostics = rules.diagnostics

        guard let customers = options.customers else {
            if let declarations {
                // A schema file alone: the rules are checked against its columns; there are no rows.
                opening.compilation = Compiler.compile(rules.files, schema: Schema(declarations: declarations))
            } else {
                // The sample shop is generated, not read: it is loaded, then checked.
                let data = DataSet.sampleShop()
                opening.data = data
                opening.compilation = compiledAgainstLoadedData(rules.files, data: data)
            }
            return opening
        }

        var load = LoadOptions(skipBadRows: options.skipBadRows, schema: declarations)
        var checkedFirst: Compilation?
        if let schema = Schema.ofFiles(customers: customers, orders: options.orders, declarations: declarations) {
            let checked = Compiler.compile(rules.files, schema: schema)
            checkedFirst = checked
            if checked.errorCount > 0 {
                opening.compilation = checked
                return opening
            }
            if let program = checked.program {
                let named = program.namedColumns
                load.namedColumns = named
                if options.loadsOnlyNamedOrderFields { load.orderFields = .only(named.orders) }
            }
        }
        // Without a schema from the headers (a file that cannot be read, a
        // header with problems), the load says what is wrong.
        let (loaded, found) = DataSet.load(customers: customers, orders: options.orders, options: load)
        opening.dataDiagnostics += found
        guard let loaded else { return opening }
        opening.data = loaded
        // The rules checked against the headers are bound to the rows: item
        // ids, and P115 for an item no order has. Checked only now when the
        // headers gave no schema.
        opening.compilation = checkedFirst.map { $0.bound(to: loaded) } ?? compiledAgainstLoadedData(rules.files, data: loaded)
        return opening
    }

    /// Checks the rules against loaded data and binds them to it at once (the
    /// sample shop, which is generated rather than read; `--compare`'s rules).
    static func compiledAgainstLoadedData(_ sources: [SourceFile], data: DataSet) -> Compilation {
        Compiler.compile(sources, schema: Schema(customers: data.customers, orders: data.orders))
    }

    /// The same data with other rules, as `perk simulate --compare` needs
    /// them, and the rules files that could not be read (the compilation's
    /// diagnostics are in the workspace's compilation).
    public func with(rules paths: [String]) -> (workspace: Workspace, ruleFileDiagnostics: [Diagnostic]) {
        let (sources, sourceProblems) = RuleSources.load(paths)
        let compilation = Self.compiledAgainstLoadedData(sources, data: data)
        return (Workspace(data: data, compilation: compilation, sources: sources), sourceProblems)
    }
}
