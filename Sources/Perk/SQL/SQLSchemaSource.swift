/// The rules of `perk sql`, checked against a schema with no rows read: a
/// schema file's, the data files' headers (and first rows, for types), or
/// the sample shop's. The warehouse holds the rows; Perk needs only the columns.
public enum SQLSchemaSource {
    public struct Checked: Sendable {
        public var compilation: Compilation?
        /// Problems of the schema file, the data files' headers, or the rules files.
        public var diagnostics: [Diagnostic]
        public var sources: [SourceFile]
        /// True when no schema was given and the sample shop's was used.
        public var usedSampleShop = false
    }

    public static func check(rules: [String], customers: String?, orders: String?, schema schemaPath: String?) -> Checked {
        var diagnostics: [Diagnostic] = []
        var declarations: SchemaDeclarations?
        if let schemaPath {
            guard let source = RuleSources.read(schemaPath, into: &diagnostics) else { return Checked(diagnostics: diagnostics, sources: []) }
            let (decl, problems) = SchemaFile.parse(source)
            diagnostics += problems
            guard !problems.hasErrors else { return Checked(diagnostics: diagnostics, sources: []) }
            declarations = decl
        }
        let loaded = RuleSources.load(rules)
        diagnostics += loaded.diagnostics
        let schema: Schema
        var sample = false
        if let customers {
            guard let s = Schema.ofFiles(customers: customers, orders: orders, declarations: declarations) else {
                // The headers cannot give a schema: reading the files says why, at the line and column.
                let (_, found) = DataSet.load(customers: customers, orders: orders, options: LoadOptions(schema: declarations))
                return Checked(diagnostics: diagnostics + found, sources: loaded.files)
            }
            schema = s
        } else if let declarations {
            schema = Schema(declarations: declarations)
        } else {
            // A small shop of the same generator has the built-in one's columns and types.
            let shop = DataSet.sampleShop(SampleShopConfig(customers: 40, orders: 900, seed: 7))
            var columns = Schema(customers: shop.customers, orders: shop.orders)
            // Its items are not the warehouse's: the SQL compares items by name.
            columns.itemNames = nil
            schema = columns
            sample = true
        }
        var checked = Checked(compilation: Compiler.compile(loaded.files, schema: schema), diagnostics: diagnostics, sources: loaded.files)
        checked.usedSampleShop = sample
        return checked
    }
}
