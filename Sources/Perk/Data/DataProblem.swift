/// Every problem data loading and schema files report, with its code, severity,
/// message, notes and help: the data phase's one catalogue of texts. Readers,
/// loaders and the schema parser say which problem they found and where; what
/// a person reads about it is written here, once.
///
/// A problem is made only when one is found: a cell that loads never builds
/// one, so the loaders' hot loops pay nothing for the catalogue.
indirect enum DataProblem: Sendable {
    // D001
    case fileNotFound(path: String)
    case noPermission(path: String)
    case folderNotFile(path: String)
    case unreadableFile(path: String, reason: String)
    // D002
    case unsupportedFormat(path: String)
    // D003
    case noHeader(path: String, example: String)
    // D004
    case unnamedColumn(number: Int)
    case columnNamedTwice(String, first: Int, again: Int)
    // D005
    case noCustomerIDColumn(path: String, columns: [String], closest: String?)
    case missingOrderColumns([String], path: String, columns: [String], closest: [(missing: String, found: String)])
    // D006–D011: a row's structure, as the readers find it.
    case brokenCSVRow(CSVProblem.Kind)
    case fieldTwiceOnLine(String)
    case brokenJSONLine(JSONProblem.Kind)
    /// A problem of a row's structure found in the header row.
    case inHeaderRow(DataProblem)
    // D009, in a schema file: the source file's own words for the bytes.
    case schemaNotUTF8(phrase: String)
    // D012, D013: cells.
    case listForCustomerID
    case listInCustomerColumn(String)
    case listInOrderColumn(String)
    /// A cell that does not fit its column's type; `sampledDeclaration` is how
    /// a schema file names the column when only the sample proposed its type.
    case cellDoesNotFit(column: String, text: String, type: PerkType, failure: CellParser.Failure, sampledDeclaration: String?)
    case orderedAtNotADate(String)
    case orderedAtImpossible(String, reason: CellParser.Impossibility)
    // D014
    case emptyCustomerID
    case emptyOrderID
    case emptyOrderedAt
    case emptyAmount
    // D015, D016
    case customerTwice(String, firstLine: Int)
    case orderTwice(String, firstLine: Int)
    // D017
    case negativeAmount(String)
    // D018
    case undeclaredTier(String, declaration: String)
    // D019
    case guestOrders(count: Int)
    // D020
    case unknownCustomers(count: Int, examples: [UnknownCustomerExample], path: String, customersFile: String)
    // D021
    case badRowsSkipped(BadRowCount)
    case badRowsStopTheLoad(BadRowCount)
    // D022
    case schemaColumnAbsent(declared: String, column: String, path: String, closest: String?)
    // D023
    case noRows(path: String, what: String)
    // D024
    case columnReadAsText(column: String, type: PerkType, text: String, declaration: String)
    case formattedColumnReadAsText(column: String, type: PerkType, text: String, mistake: CellMistake)
    // D025
    case semicolonSeparated(path: String, rows: Int)
    // D026
    case utf16(path: String, littleEndian: Bool, lines: Int)
    case gbk(path: String, lines: Int)
    // D027, D028
    case spreadsheetFormat(CellMistake, column: String, example: String, rows: Int, path: String)
    // D029
    case noGoodRows(BadRowCount, firstLine: Int, firstProblem: String?)
    // D050
    case schemaNotColumnAndType
    case schemaNameMissing
    case schemaTypeMissing(column: String)
    case schemaTextAfterType(String)
    // D051
    case schemaUnknownType(String, closest: String?)
    // D052
    case schemaColumnTwice(String, firstLine: Int)
    // D053
    case schemaEnumWithoutValues
    case schemaEmptyEnumValue
    case schemaEnumValuesApart
    case schemaEnumValueTwice(String)
    // D054
    case schemaNameWithSpace
    case schemaNotATable(String, column: String)
    case schemaNoColumnAfterTable(String)

    /// How many rows of a file were bad, for the summary of a load (D021, D029).
    struct BadRowCount: Sendable {
        var path: String
        /// `customers` or `orders`.
        var what: String
        var bad: Int
        var read: Int
        /// The row problems listed above the summary, and those left out.
        var shown: Int
        var omitted: Int

        var rows: String { bad == 1 ? "1 bad row" : "\(bad) bad rows" }
        /// More than half: then the file, not a few rows, is what is wrong.
        var mostRowsBad: Bool { bad * 2 > read }
        var omittedNote: [String] { omitted > 0 ? ["showing the first \(shown) problems; \(omitted) more are not shown"] : [] }
    }

    var code: DataCode {
        switch self {
        case .fileNotFound, .noPermission, .folderNotFile, .unreadableFile: .unreadableFile
        case .unsupportedFormat: .unsupportedFormat
        case .noHeader: .emptyFile
        case .unnamedColumn, .columnNamedTwice: .badHeader
        case .noCustomerIDColumn, .missingOrderColumns: .missingColumn
        case .brokenCSVRow(let kind):
            switch kind {
            case .unterminatedQuote: .unterminatedQuote
            case .strayQuote, .textAfterClosingQuote: .strayQuote
            case .wrongFieldCount: .wrongFieldCount
            case .invalidUTF8: .invalidUTF8
            case .nulByte: .nulByte
            }
        case .schemaNotUTF8: .invalidUTF8
        case .fieldTwiceOnLine: .jsonSyntax
        case .brokenJSONLine(let kind):
            switch kind {
            case .invalidUTF8: .invalidUTF8
            case .nulByte: .nulByte
            default: .jsonSyntax
            }
        case .inHeaderRow(let problem): problem.code
        case .listForCustomerID, .listInCustomerColumn, .listInOrderColumn, .orderedAtNotADate: .badValue
        case .cellDoesNotFit(_, _, let type, let failure, _):
            switch (failure, type) {
            case (.impossible, .date), (.impossible, .datetime): .impossibleDate
            default: .badValue
            }
        case .orderedAtImpossible: .impossibleDate
        case .emptyCustomerID, .emptyOrderID, .emptyOrderedAt, .emptyAmount: .emptyRequired
        case .customerTwice: .duplicateCustomer
        case .orderTwice: .duplicateOrder
        case .negativeAmount: .negativeAmount
        case .undeclaredTier: .undeclaredTier
        case .guestOrders: .guestOrders
        case .unknownCustomers: .unknownCustomers
        case .badRowsSkipped, .badRowsStopTheLoad: .badRows
        case .schemaColumnAbsent: .schemaColumnAbsent
        case .noRows: .noRows
        case .columnReadAsText, .formattedColumnReadAsText: .columnReadAsText
        case .semicolonSeparated: .semicolonSeparated
        case .utf16, .gbk: .notUTF8
        case .spreadsheetFormat(let mistake, _, _, _, _):
            switch mistake {
            case .yearFirstDate, .yearLastDate: .spreadsheetDates
            case .currencySign, .thousandsSeparator: .formattedNumbers
            }
        case .noGoodRows: .noGoodRows
        case .schemaNotColumnAndType, .schemaNameMissing, .schemaTypeMissing, .schemaTextAfterType: .schemaSyntax
        case .schemaUnknownType: .schemaUnknownType
        case .schemaColumnTwice: .schemaDuplicateColumn
        case .schemaEnumWithoutValues, .schemaEmptyEnumValue, .schemaEnumValuesApart, .schemaEnumValueTwice: .schemaBadEnum
        case .schemaNameWithSpace, .schemaNotATable, .schemaNoColumnAfterTable: .schemaBadName
        }
    }

    /// What leaves data out without losing a row that counts is a warning;
    /// everything else stops the load. (A loader that skips bad rows makes
    /// their problems warnings itself.)
    var severity: Diagnostic.Severity {
        switch self {
        case .guestOrders, .unknownCustomers, .badRowsSkipped, .schemaColumnAbsent, .noRows, .columnReadAsText,
             .formattedColumnReadAsText: .warning
        default: .error
        }
    }

    var message: String {
        switch self {
        case .fileNotFound(let path): "cannot find \(path)"
        case .noPermission(let path): "no permission to read \(path)"
        case .folderNotFile(let path): "\(path) is a folder, not a data file"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .unsupportedFormat(let path): "Perk cannot read \(path): data files must end in .csv, .jsonl or .ndjson"
        case .noHeader(let path, _): "\(path) is empty: there is no header row naming the columns"
        case .unnamedColumn(let n): "column \(n) has no name in the header"
        case .columnNamedTwice(let name, _, _): "the header names column `\(name)` twice"
        case .noCustomerIDColumn(let path, _, _): "\(path) has no customer_id column"
        case .missingOrderColumns(let missing, let path, _, _):
            "\(path) is missing the required \(missing.count == 1 ? "column" : "columns") \(missing.joined(separator: ", "))"
        case .brokenCSVRow(let kind):
            switch kind {
            case .unterminatedQuote: "this quote is never closed, so the rest of the file reads as one field"
            case .strayQuote: "a `\"` in the middle of a field that does not start with one"
            case .textAfterClosingQuote: "text after the closing quote of a field"
            case .wrongFieldCount(let expected, let found):
                "this row has \(found) \(found == 1 ? "field" : "fields") but the header has \(expected)"
            case .invalidUTF8: "this text is not valid UTF-8"
            case .nulByte: "this row holds a NUL byte (a binary zero)"
            }
        case .fieldTwiceOnLine(let name): "field `\(name)` appears twice on this line"
        case .brokenJSONLine(let kind): Self.words(kind)
        case .inHeaderRow(let problem): "the header row: " + problem.message
        case .schemaNotUTF8(let phrase): phrase
        case .listForCustomerID: "customer_id holds a list; it must be one id"
        case .listInCustomerColumn(let column): "\(column) holds a list, but only an order's items may"
        case .listInOrderColumn(let column): "\(column) holds a list, but only items may"
        case .cellDoesNotFit(let column, let text, let type, let failure, _):
            Self.misfit(column: column, text: text, type: type, failure: failure)
        case .orderedAtNotADate(let text): "ordered_at \(Self.shown(text)) is not a date or a date and time"
        case .orderedAtImpossible(let text, let reason):
            // Impossible, not misshapen: the text has a date's or a date and time's shape.
            "ordered_at \(Self.shown(text)) is not \(text.utf8.count == 10 ? "a date" : "a date and time"): \(Self.why(reason))"
        case .emptyCustomerID: "customer_id is empty: every customer needs an id"
        case .emptyOrderID: "order_id is empty: every order needs an id"
        case .emptyOrderedAt: "ordered_at is empty: every order needs a date"
        case .emptyAmount: "amount is empty: every order needs an amount"
        case .customerTwice(let id, _): "customer \(Self.shown(id)) appears twice"
        case .orderTwice(let id, _): "order \(Self.shown(id)) appears twice"
        case .negativeAmount(let text): "amount \(Self.shown(text)) is negative: an order amount cannot be below zero"
        case .undeclaredTier(let text, _):
            "tier \(Self.shown(text)) is not one of MEMBER, SILVER, GOLD, VIP, so Perk does not know how it ranks"
        case .guestOrders(let count):
            "\(count == 1 ? "1 order has" : "\(count) orders have") no customer_id (guest orders); they are counted but left "
                + "out of customer profiles"
        case .unknownCustomers(let count, _, _, let customersFile):
            "\(count == 1 ? "1 order names a customer who is" : "\(count) orders name customers who are") not in "
                + "\(customersFile); these orders are left out"
        case .badRowsSkipped(let count): "skipped \(count.rows) in \(count.path)"
        case .badRowsStopTheLoad(let count): "\(count.rows) in \(count.path), so nothing was loaded"
        case .schemaColumnAbsent(let declared, let column, let path, _):
            "the schema declares `\(declared)`, but \(path) has no column `\(column)`"
        case .noRows(let path, let what): "\(path) has no \(what)"
        case .columnReadAsText(let column, let type, let text, _):
            "column `\(column)` holds \(Self.plural(type)) in its first rows, but this cell is \(Self.shown(text)); no rule "
                + "reads it, so it is read as text"
        case .formattedColumnReadAsText(let column, let type, let text, let mistake):
            Self.formattedReadAsText(column: column, type: type, holding: Self.holding(mistake, Self.shown(text)))
        case .semicolonSeparated(let path, let rows):
            "\(path) separates its columns with `;`, not `,`: the header and \(rows) \(rows == 1 ? "row are" : "rows are") "
                + "written this way"
        case .utf16(let path, let littleEndian, let lines):
            "\(path) is \(littleEndian ? "UTF-16LE" : "UTF-16BE") text, not UTF-8, so none of its \(lines) lines can be read"
        case .gbk(let path, let lines):
            "\(path) is GBK (GB18030) text, not UTF-8: \(lines) \(lines == 1 ? "line holds" : "lines hold") Chinese text "
                + "Perk cannot read"
        case .spreadsheetFormat(let mistake, let column, let example, let rows, let path):
            "\(column) holds \(Self.holding(mistake, Self.shown(example))) in \(rows) rows of \(path)" + {
                switch mistake {
                case .yearFirstDate, .yearLastDate: "; Perk reads dates as YYYY-MM-DD"
                case .currencySign, .thousandsSeparator: ""
                }
            }()
        case .noGoodRows(let count, _, _):
            "every row of \(count.path) is bad (\(count.bad) of \(count.read)), so it is not the \(count.what) file Perk expects"
        case .schemaNotColumnAndType: "expected `column: type`, like `points: integer`"
        case .schemaNameMissing: "a column name must come before the `:`"
        case .schemaTypeMissing(let column): "`\(column)` has no type after the `:`"
        case .schemaTextAfterType(let word): "unexpected text after the type `\(word)`"
        case .schemaUnknownType(let word, _): "unknown type `\(word)`"
        case .schemaColumnTwice(let key, _): "`\(key)` is declared twice"
        case .schemaEnumWithoutValues: "`enum` needs its values in order"
        case .schemaEmptyEnumValue: "an empty value in the enum"
        case .schemaEnumValuesApart: "enum values are separated by `<`"
        case .schemaEnumValueTwice(let value): "`\(value)` appears twice in the enum"
        case .schemaNameWithSpace: "a column name cannot contain spaces"
        case .schemaNotATable(let table, _): "`\(table)` is not a table: columns are customer columns, or `orders.` columns"
        case .schemaNoColumnAfterTable(let table): "expected one column name after `\(table).`"
        }
    }

    var notes: [String] {
        switch self {
        case .columnNamedTwice(_, let first, let again): ["it is both column \(first) and column \(again)"]
        case .noCustomerIDColumn(_, let columns, _): ["the columns are: \(Self.list(columns))"]
        case .missingOrderColumns(_, _, let columns, _):
            ["the columns are: \(Self.list(columns))", "orders need order_id, customer_id, ordered_at and amount"]
        case .inHeaderRow(let problem): problem.notes
        case .cellDoesNotFit(let column, _, let type, let failure, let declaration?) where failure == .wrongShape:
            ["Perk took `\(column)` for a column of \(Self.plural(type)) from its first rows; if it holds other values, "
                + "declare `\(declaration): text` in a schema file"]
        case .customerTwice(_, let line), .orderTwice(_, let line): ["it first appears on line \(line)"]
        case .unknownCustomers(let count, let examples, let path, let customersFile):
            // Shown in backticks when spaces are part of an id, as they are in quotes.
            examples.map {
                "\(path):\($0.line): order \(Self.shown($0.orderID)) names customer \(Self.shown($0.customerID)), who is not "
                    + "in \(customersFile)"
            } + (count > examples.count ? ["and \(count - examples.count) more"] : [])
        case .badRowsSkipped(let count):
            count.omittedNote + (count.mostRowsBad
                ? ["that is \(count.bad) of \(count.read) rows: check that this is the \(count.what) file Perk expects"] : [])
        case .badRowsStopTheLoad(let count):
            (count.mostRowsBad
                ? ["that is \(count.bad) of \(count.read) rows, so \(count.path) is not the \(count.what) file Perk expects"]
                : []) + count.omittedNote
        case .noGoodRows(let count, let line, let first):
            (first.map { ["the first bad row, line \(line): \($0)"] } ?? []) + count.omittedNote
        case .semicolonSeparated: ["spreadsheets set to a European language export CSV with semicolons"]
        case .utf16: ["spreadsheets write UTF-16 when a sheet is saved as \"Unicode Text\""]
        case .gbk: ["Chinese versions of Excel and WPS save CSV as GBK unless told otherwise"]
        case .spreadsheetFormat(let mistake, _, let example, _, _):
            switch mistake {
            case .yearFirstDate:
                DateFix.rewritten(example.withoutSurroundingSpaces).map { ["\(Self.shown(example)) is \($0)"] } ?? []
            case .yearLastDate: ["a date like 01/03/2025 may be 1 March or 3 January, so Perk does not guess"]
            case .currencySign, .thousandsSeparator: []
            }
        case .schemaColumnTwice(_, let line): ["it is first declared on line \(line)"]
        default: []
        }
    }

    var help: String? {
        switch self {
        case .fileNotFound: "check the file name and the folder Perk runs in"
        case .unsupportedFormat: "export the sheet as CSV (in Excel: File > Save As > CSV UTF-8)"
        case .noHeader(_, let example): "the first line must name the columns, like \(example)"
        case .unnamedColumn: "name the column, or remove the extra comma"
        case .columnNamedTwice: "rename or remove one of them"
        case .noCustomerIDColumn(_, _, let closest):
            closest.map { "did you mean `\($0)`? rename it to customer_id" }
                ?? "add a customer_id column holding one unique id per customer"
        case .missingOrderColumns(_, _, _, let closest):
            closest.isEmpty ? "add the missing columns to the header and fill them in"
                : "did you mean \(closest.map { "`\($0.found)` for \($0.missing)" }.joined(separator: ", "))? "
                    + "rename them to the required names"
        case .brokenCSVRow(let kind):
            switch kind {
            case .unterminatedQuote: "add the closing `\"`; a quote inside a quoted field is written twice, as `\"\"`"
            case .strayQuote: "put the whole field in quotes and write the quote twice, like \"5\"\" pot\""
            case .textAfterClosingQuote: "a quote inside a quoted field is written twice, as `\"\"`"
            case .wrongFieldCount(let expected, let found):
                found > expected ? "a comma inside a value needs quotes around the value, like \"Hangzhou, Xihu\""
                    : "every row needs a value (or an empty place) for each column"
            case .invalidUTF8: "save the file as UTF-8 (in Excel: CSV UTF-8)"
            case .nulByte: "the file may be damaged or not a text file; export it again as CSV"
            }
        case .brokenJSONLine(let kind):
            switch kind {
            case .nestedObject: "put each value in a field of its own, like \"address_city\": \"Hangzhou\""
            case .exponent: "write 1000 rather than 1e3"
            case .notAnObject: "JSON Lines files hold one object per line, like {\"customer_id\": \"C001\"}"
            default: nil
            }
        case .inHeaderRow(let problem): problem.help
        case .schemaNotUTF8: "save the schema file as UTF-8"
        case .cellDoesNotFit(_, let text, let type, let failure, _): Self.misfitHelp(text: text, type: type, failure: failure)
        case .orderedAtNotADate: "write YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], like 2025-03-01 or 2025-03-01 14:30"
        case .customerTwice: "each customer needs exactly one row; merge the rows or fix the id"
        case .orderTwice: "each order needs its own order_id; remove the repeated row or fix the id"
        case .negativeAmount: "for a refund, lower or remove the original order instead"
        case .undeclaredTier(let text, let declaration):
            "declare the tiers in order in a schema file, like `\(declaration): enum MEMBER < SILVER < GOLD < VIP`, "
                + "with \(Self.shown(text)) where it belongs"
        case .unknownCustomers(_, _, let path, let customersFile):
            "add the customers to \(customersFile), or check the ids in \(path) for typos"
        case .badRowsSkipped: "the other rows were loaded; fix these rows to include them"
        case .badRowsStopTheLoad(let count):
            count.mostRowsBad
                // Skipping would leave out most of the file: the fix is the file.
                ? "fix the problems above; leaving the bad rows out would leave out most of the file"
                : "fix the rows above, or load with --skip-bad-rows to leave bad rows out"
        case .noGoodRows(let count, _, _):
            DataFormat.of(path: count.path) == .jsonLines
                ? "check that this is the \(count.what) file, one JSON object per line in UTF-8, and fix the problem above"
                : "check that this is the \(count.what) file, exported as CSV UTF-8 with commas, and fix the problem above"
        case .schemaColumnAbsent(_, _, _, let closest): closest.map { "did you mean `\($0)`?" }
        case .columnReadAsText(_, _, _, let declaration):
            "declare the column in a schema file, as `\(declaration): text` to read it as text, or with its type to have "
                + "every cell checked"
        case .formattedColumnReadAsText(_, _, _, let mistake), .spreadsheetFormat(let mistake, _, _, _, _):
            Self.exportAgain(mistake)
        case .semicolonSeparated:
            "export it again with commas: in Excel, File > Save As > CSV UTF-8 (Comma delimited); "
                + "in LibreOffice, Save As > Text CSV with `,` as the field delimiter"
        case .utf16(let path, _, _): Self.saveAsUTF8(path, from: "UTF-16")
        case .gbk(let path, _): Self.saveAsUTF8(path, from: "GB18030")
        case .schemaNameMissing: "write the column first, like `points: integer`"
        case .schemaTypeMissing: "types are " + Self.schemaTypeList
        case .schemaTextAfterType: "a declaration is one column and one type, like `points: integer`"
        case .schemaUnknownType(_, let closest): closest.map { "did you mean `\($0)`?" } ?? "types are " + Self.schemaTypeList
        case .schemaColumnTwice: "keep one of the two lines"
        case .schemaEnumWithoutValues: "list them lowest first, like `enum less < normal < extra`"
        case .schemaEmptyEnumValue: "write one value between each pair of `<`"
        case .schemaEnumValuesApart: "write them lowest first, like `enum less < normal < extra`"
        case .schemaEnumValueTwice: "each value is listed once, lowest first"
        case .schemaNameWithSpace: "use the name exactly as in the data file's header, like `sugar_pref`"
        case .schemaNotATable(_, let column):
            "write `orders.\(column)` for an order column, or just `\(column)` for a customer column"
        case .noPermission, .folderNotFile, .unreadableFile, .fieldTwiceOnLine, .listForCustomerID, .listInCustomerColumn,
             .listInOrderColumn, .orderedAtImpossible, .emptyCustomerID, .emptyOrderID, .emptyOrderedAt, .emptyAmount,
             .guestOrders, .noRows, .schemaNotColumnAndType, .schemaNoColumnAfterTable:
            nil
        }
    }
}

// MARK: - Cells that do not fit

private extension DataProblem {
    static func misfit(column: String, text: String, type: PerkType, failure: CellParser.Failure) -> String {
        let value = shown(text)
        if case .impossible(let impossibility) = failure {
            let reason = why(impossibility)
            switch type {
            case .date: return "\(column) \(value) is not a date: \(reason)"
            case .datetime: return "\(column) \(value) is not a date and time: \(reason)"
            default: return "\(column) \(value) cannot be read exactly: \(reason)"
            }
        }
        switch type {
        case .number, .percent: return "\(column) \(value) is not a number"
        case .date: return "\(column) \(value) is not a date"
        case .datetime: return "\(column) \(value) is not a date and time"
        case .bool: return "\(column) \(value) is not yes or no"
        case .enumeration(let e): return "\(column) \(value) is not one of \(e.cases.joined(separator: ", "))"
        case .text, .duration, .list, .unknown: return "\(column) \(value) cannot be read"
        }
    }

    static func misfitHelp(text: String, type: PerkType, failure: CellParser.Failure) -> String? {
        if case .impossible = failure { return nil }
        switch type {
        case .number, .percent: return "write plain digits like 12 or 12.50, with no currency sign or thousands separator"
        case .date: return DateFix.rewritten(text).map { "write \($0)" } ?? "write dates as YYYY-MM-DD, like 2025-03-01"
        case .datetime: return "write YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM:SS, like 2025-03-01 14:30"
        case .bool: return "write true, false, yes or no"
        case .enumeration(let e): return "use one of those values, or add this one to the `\(e.name)` line of the schema file"
        case .text, .duration, .list, .unknown: return nil
        }
    }
}

extension DataProblem {
    /// Why a cell that looks like its type is impossible, in plain words.
    static func why(_ impossibility: CellParser.Impossibility) -> String {
        switch impossibility {
        case .tooManyDigits: "it has too many digits to be exact"
        case .tooManyDecimalPlaces: "it has more than 18 decimal places"
        case .hour: "hours run from 00 to 23"
        case .minute: "minutes run from 00 to 59"
        case .second: "seconds run from 00 to 59"
        case .yearZero: "years start at 0001"
        case .month(let month): "there is no month \(month); months run from 01 to 12"
        case .dayZero: "days of the month start at 01"
        case .dayBeyondMonth(let month, let year):
            "\(LocalDate.monthNames[month - 1]) \(year) has \(LocalDate.daysIn(month: month, year: year)) days"
        }
    }
}

// MARK: - Spreadsheet formats

private extension DataProblem {
    /// What a column holds, in words: `dates written like 2025/03/01`.
    static func holding(_ mistake: CellMistake, _ shown: String) -> String {
        switch mistake {
        case .yearFirstDate, .yearLastDate: "dates written like \(shown)"
        case .currencySign: "amounts with a currency sign, like \(shown),"
        case .thousandsSeparator: "numbers with thousands separators, like \(shown),"
        }
    }

    static func formattedReadAsText(column: String, type: PerkType, holding: String) -> String {
        "column `\(column)` holds \(holding)\(holding.hasSuffix(",") ? "" : ",") which Perk cannot read as "
            + "\(plural(type)); no rule reads it, so it is read as text"
    }

    /// How to export the column again.
    static func exportAgain(_ mistake: CellMistake) -> String {
        switch mistake {
        case .yearFirstDate, .yearLastDate:
            "format the column as yyyy-mm-dd in the spreadsheet (Format Cells > Custom > yyyy-mm-dd) and export again"
        case .currencySign:
            "format the column as a plain number in the spreadsheet (Format Cells > Number, no currency symbol) "
                + "and export again: ¥20 is 20"
        case .thousandsSeparator:
            "format the column as a plain number in the spreadsheet (Format Cells > Number, without the 1000 separator) "
                + "and export again: 1,234.50 is 1234.50"
        }
    }

    static func saveAsUTF8(_ path: String, from encoding: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return "save it as UTF-8: in Excel, File > Save As > CSV UTF-8 (Comma delimited); in WPS, 另存为 (Save As) with the "
            + "encoding UTF-8; or convert it: iconv -f \(encoding) -t UTF-8 \(path) > utf8-\(name)"
    }
}

// MARK: - JSON Lines

extension DataProblem {
    /// A JSON Lines reader's finding in plain words for the person who made the file.
    static func words(_ kind: JSONProblem.Kind) -> String {
        switch kind {
        case .notAnObject: "this line is not a JSON object: each line must start with `{`"
        case .unexpected(let expected): "expected \(expected)"
        case .unterminatedString: "this text has no closing `\"` on its line"
        case .invalidEscape: "this backslash escape is not valid JSON"
        case .controlCharacterInString: "a text value holds a raw control character; write it as an escape such as `\\t`"
        case .invalidNumber: "this is not a valid JSON number"
        case .exponent: "numbers with an exponent (like 1e3) are not accepted; write the number out in full"
        case .nestedObject: "nested objects are not supported: each line must be a flat object of fields"
        case .nonStringInArray: "a list may only hold text, like [\"Oolong\", \"Jasmine\"]"
        case .textAfterObject: "unexpected text after the end of the object"
        case .invalidUTF8: "this line is not valid UTF-8 text"
        case .nulByte: "this line holds a NUL byte (a binary zero)"
        }
    }
}

// MARK: - Words shared by the messages

extension DataProblem {
    /// A cell's text for a message: cut when long, in backticks when it has
    /// spaces (so where it starts and ends is clear) or is empty.
    static func shown(_ text: String) -> String {
        // A message is one line, so line breaks inside a cell are shown as escapes.
        var t = ""
        var count = 0
        var needsQuotes = text.isEmpty
        for ch in text {
            if count == 40 {
                t += "…"
                break
            }
            count += 1
            switch ch {
            case "\n": t += "\\n"
            case "\r": t += "\\r"
            case "\r\n": t += "\\r\\n"
            default: t.append(ch)
            }
            if ch == " " || ch == "\t" || ch.isNewline { needsQuotes = true }
        }
        return needsQuotes ? "`\(t)`" : t
    }

    /// Types in words, for messages about what a column holds.
    static func plural(_ type: PerkType) -> String {
        switch type {
        case .number, .percent: "numbers"
        case .date: "dates"
        case .datetime: "dates and times"
        case .bool: "yes/no values"
        case .enumeration(let e): "values of \(e.cases.joined(separator: " < "))"
        case .text, .duration, .list, .unknown: "text"
        }
    }

    /// A header's column names for a note.
    static func list(_ names: [String]) -> String {
        names.isEmpty ? "(nothing)" : names.joined(separator: ", ")
    }

    static let schemaTypeList = "integer, decimal, money, number, date, datetime, boolean, text, or enum A < B < C"
}

// MARK: - Diagnostics

extension DataProblem: DiagnosticMessage {}

extension Diagnostic {
    init(_ problem: DataProblem, at location: Location?, fixIt: FixIt? = nil) { self.init(entry: problem, at: location, fixIt: fixIt) }
}
