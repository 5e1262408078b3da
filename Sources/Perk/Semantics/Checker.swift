/// Resolves every name in a set of rules files against a `Schema`, types every
/// expression, validates every action and control, and produces a `CheckedProgram`.
///
/// Declarations may come in any order and from any file of the set: defines and
/// rules are collected first, then checked. The checker never stops at the first
/// error; a subtree that failed yields nil so its parents stay quiet.
public struct Checker {
    let schema: Schema
    var diagnostics: [Diagnostic] = []

    var defineDecls: [String: (decl: DefineDecl, file: SourceFile)] = [:]
    var checkedDefines: [String: CheckedExpr?] = [:]
    /// The size of each checked define, written out in full.
    var defineExpansions: [String: Expansion] = [:]
    var defineStack: [String] = []
    var reportedDefinesTooDeep = false
    /// Names declared in parts that failed to parse: known, but not checkable.
    var brokenNames: Set<String> = []
    /// Names of defines used anywhere (the linter reports the others).
    public private(set) var usedDefines: Set<String> = []

    var file: SourceFile
    /// True inside `where` of an order query, where order columns are in scope.
    var inOrderFilter = false

    init(schema: Schema, file: SourceFile) {
        self.schema = schema
        self.file = file
    }

    // MARK: - Diagnostics

    mutating func report(_ m: CheckerMessage, at range: SourceRange, fixIt: Diagnostic.FixIt? = nil, notes: [String] = []) {
        diagnostics.append(m.diagnostic(in: file, range, fixIt: fixIt, notes: notes))
    }

    func source(_ e: Expr) -> String {
        let text = file.slice(e.range)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }

    // MARK: - Expressions

    mutating func check(_ e: Expr, hint: PerkType? = nil) -> CheckedExpr? {
        switch e.kind {
        case .number(let n): return CheckedExpr(.constant(.number(n)), .number, e.range)
        case .percent(let n): return CheckedExpr(.constant(.percent(n)), .percent, e.range)
        case .text(let s):
            if case .enumeration(let en)? = hint { return symbol(s, of: en, at: e.range) }
            return CheckedExpr(.constant(.text(s)), .text, e.range)
        case .date(let d): return CheckedExpr(.constant(.date(d)), .date, e.range)
        case .duration(let d): return CheckedExpr(.constant(.duration(d)), .duration, e.range)
        case .bool(let b): return CheckedExpr(.constant(.bool(b)), .bool, e.range)
        case .today: return CheckedExpr(.today, .date, e.range)
        case .name(let name): return resolve(name, at: e.range, hint: hint)
        case .member(let field): return member(field, range: e.range)
        case .unary(.not, let operand):
            guard let x = condition(operand) else { return nil }
            return CheckedExpr(.not(x), .bool, e.range)
        case .unary(.negate, let operand):
            guard let x = check(operand) else { return nil }
            guard x.type == .number || x.type == .percent else {
                report(SemanticError.cannotNegate(source(operand), x.type), at: e.range)
                return nil
            }
            return CheckedExpr(.negate(x), x.type, e.range)
        case .binary(let op, let a, let b):
            return binary(op, a, b, e)
        case .list(let items):
            return list(items, hint: hint, range: e.range)
        case .inList(let x, let list, let negated):
            return inList(x, list, negated: negated, e)
        case .between(let x, let lo, let hi):
            return between(x, lo, hi, e)
        case .contains(let a, let b):
            return contains(a, b, e)
        case .startsWith(let a, let b):
            guard let (x, y) = pair(a, b) else { return nil }
            guard x.type == .text, y.type == .text else {
                report(SemanticError.startsWithNeedsText(source(a), x.type, source(b), y.type), at: e.range)
                return nil
            }
            return CheckedExpr(.startsWith(x, y), .bool, e.range)
        case .isMissing(let x, let negated):
            guard let cx = check(x) else { return nil }
            return CheckedExpr(.isMissing(cx, negated: negated), .bool, e.range)
        case .dateNear(let x, let kind, let span):
            guard let cx = check(x), let days = fixedDays(span, after: kind == .next ? "`in next`" : "`within`") else { return nil }
            guard cx.type == .date || cx.type == .datetime else {
                report(SemanticError.notADate(source(x), cx.type, for: kind == .next ? "in next" : "within"), at: x.range)
                return nil
            }
            return CheckedExpr(.dateNear(cx, kind, days: days), .bool, e.range)
        case .dateInLast(let x, let span):
            guard let cx = check(x), let d = durationConstant(span, after: "`in last`") else { return nil }
            guard cx.type == .date || cx.type == .datetime else {
                report(SemanticError.notADate(source(x), cx.type, for: "in last"), at: x.range)
                return nil
            }
            return CheckedExpr(.dateInLast(cx, d), .bool, e.range)
        case .call(let name, let args):
            return call(name, args, e)
        case .orders:
            report(SemanticError.ordersOutsideAggregate(), at: e.range)
            return nil
        }
    }

    /// Checks an expression that must be true or false.
    mutating func condition(_ e: Expr) -> CheckedExpr? {
        guard let x = check(e) else { return nil }
        guard x.type == .bool else {
            report(SemanticError.notACondition(x.type), at: e.range)
            return nil
        }
        let expansion = Expansion.of(x, defines: defineExpansions)
        guard !expansion.isTooLarge else {
            report(SemanticError.tooLarge("this condition", expansion), at: e.range)
            return nil
        }
        return x
    }

    // MARK: Names

    mutating func resolve(_ name: String, at range: SourceRange, hint: PerkType?) -> CheckedExpr? {
        if inOrderFilter, let f = schema.orderField(name) {
            return CheckedExpr(.orderField(f.slot, name: name), f.type, range)
        }
        if defineDecls[name] != nil {
            usedDefines.insert(name)
            guard let value = define(name) else { return nil }
            return CheckedExpr(.define(name, value), value.type, range)
        }
        if let derived = DerivedField(rawValue: name) {
            return CheckedExpr(.derived(derived), derived.type, range)
        }
        if brokenNames.contains(name) { return nil }
        if name == "birthday", let f = schema.customerField("birthday") {
            return CheckedExpr(.column(f.slot, name: "birthday"), f.type, range)
        }
        var enumHint: EnumType?
        if case .enumeration(let en)? = hint { enumHint = en }
        if case .list(.enumeration(let en))? = hint { enumHint = en }
        if let en = enumHint {
            return symbol(name, of: en, at: range)
        }
        let owners = schema.enums.filter { $0.cases.contains(name) }
        if owners.count == 1, let o = owners[0].ordinal(of: name) {
            return CheckedExpr(.constant(.symbol(o)), .enumeration(owners[0]), range)
        }
        report(unknownNameMessage(name), at: range)
        return nil
    }

    func unknownNameMessage(_ name: String) -> CheckerMessage {
        if name == "birthday" {
            return SemanticError.unknownName(name, suggestion: nil, help: "`birthday` reads the customers' birthday column, which \(schema.source) does not have")
        }
        if name == "missing" || name == "null" || name == "nil" {
            return SemanticError.unknownName(name, suggestion: nil, help: "to test for a missing value, write `x is missing` or `x is present`")
        }
        var candidates = Array(defineDecls.keys) + DerivedField.allCases.map(\.rawValue) + schema.enums.flatMap(\.cases)
        if inOrderFilter { candidates += schema.orderFields.map(\.name) }
        let guess = Suggest.closest(to: name, among: candidates.sorted())
        if guess == nil, schema.customerField(name) != nil {
            return SemanticError.unknownName(name, suggestion: "member.\(name)", help: "customer columns are written `member.\(name)`")
        }
        if guess == nil, schema.orderField(name) != nil {
            return SemanticError.unknownName(name, suggestion: nil, help: "`\(name)` is an order column; use it inside an order query, like `any(orders where \(name) ...)`")
        }
        return SemanticError.unknownName(name, suggestion: guess)
    }

    mutating func symbol(_ name: String, of en: EnumType, at range: SourceRange) -> CheckedExpr? {
        guard let o = en.ordinal(of: name) else {
            let guess = Suggest.closest(to: name, among: en.cases) ?? en.cases.first { $0.lowercased() == name.lowercased() }
            report(SemanticError.unknownSymbol(name, of: en, suggestion: guess), at: range)
            return nil
        }
        return CheckedExpr(.constant(.symbol(o)), .enumeration(en), range)
    }

    mutating func member(_ field: Located<String>, range: SourceRange) -> CheckedExpr? {
        if let f = schema.customerField(field.value) {
            return CheckedExpr(.column(f.slot, name: f.name), f.type, range)
        }
        if let derived = DerivedField(rawValue: field.value) {
            report(SemanticError.derivedAsColumn(derived.rawValue),
                   at: range, fixIt: Diagnostic.FixIt(range: range, replacement: derived.rawValue))
            return nil
        }
        let guess = Suggest.closest(to: field.value, among: schema.customerFields.map(\.name)).map(Lexer.writtenColumnName)
        report(SemanticError.unknownField(Lexer.writtenColumnName(field.value), suggestion: guess, source: schema.source), at: field.range,
               fixIt: guess.map { Diagnostic.FixIt(range: field.range, replacement: $0) })
        return nil
    }

    mutating func define(_ name: String) -> CheckedExpr? {
        if let done = checkedDefines[name] { return done }
        guard let (decl, declFile) = defineDecls[name] else { return nil }
        if let start = defineStack.firstIndex(of: name) {
            let path = Array(defineStack[start...])
            let saved = file
            file = declFile
            report(SemanticError.cycle(path), at: decl.name.range)
            file = saved
            for n in path { checkedDefines[n] = .some(nil) }
            return nil
        }
        // Defines built on defines, deeper than any phase could walk: said at the first too deep.
        guard defineStack.count < Expansion.maxDepth else {
            // Said once: a long chain would hit the limit again every few hundred defines.
            if !reportedDefinesTooDeep {
                let saved = file
                file = declFile
                report(SemanticError.definesTooDeep(name, below: defineStack), at: decl.name.range)
                file = saved
                reportedDefinesTooDeep = true
            }
            for n in defineStack { checkedDefines[n] = .some(nil) }
            return nil
        }
        defineStack.append(name)
        let (savedFile, savedFilter) = (file, inOrderFilter)
        file = declFile
        inOrderFilter = false
        var value = check(decl.value)
        if let checked = value {
            let expansion = Expansion.of(checked, defines: defineExpansions)
            if expansion.isTooLarge {
                report(SemanticError.tooLarge("define `\(name)`", expansion), at: decl.name.range)
                value = nil
            } else {
                defineExpansions[name] = expansion
            }
        }
        (file, inOrderFilter) = (savedFile, savedFilter)
        defineStack.removeLast()
        if checkedDefines[name] == nil { checkedDefines[name] = .some(value) }
        return checkedDefines[name] ?? nil
    }

    // MARK: Operators

    /// True for a bare word that only an enum context can resolve (`VIP`), or text.
    func needsHint(_ e: Expr) -> Bool {
        switch e.kind {
        case .name(let n):
            if inOrderFilter, schema.orderField(n) != nil { return false }
            return defineDecls[n] == nil && DerivedField(rawValue: n) == nil && n != "birthday"
        case .text: return true
        case .list(let items): return items.contains(where: needsHint)
        default: return false
        }
    }

    /// Checks two operands, letting an enum-typed side give meaning to a bare symbol on the other.
    mutating func pair(_ a: Expr, _ b: Expr) -> (CheckedExpr, CheckedExpr)? {
        if needsHint(a), !needsHint(b) {
            guard let y = check(b), let x = check(a, hint: y.type) else { return nil }
            return (x, y)
        }
        guard let x = check(a) else {
            _ = check(b)
            return nil
        }
        guard let y = check(b, hint: x.type) else { return nil }
        return (x, y)
    }

    mutating func binary(_ op: BinaryOp, _ a: Expr, _ b: Expr, _ e: Expr) -> CheckedExpr? {
        switch op {
        case .and, .or:
            let x = condition(a), y = condition(b)
            guard let x, let y else { return nil }
            return CheckedExpr(op == .and ? .and(x, y) : .or(x, y), .bool, e.range)
        case .eq, .ne, .lt, .le, .gt, .ge:
            guard let (x, y) = pair(a, b) else { return nil }
            guard comparable(x.type, y.type, ordered: op != .eq && op != .ne) else {
                report(comparisonMismatch(op, a, x, b, y), at: e.range)
                return nil
            }
            return CheckedExpr(.compare(op, x, y), .bool, e.range)
        case .add, .sub, .mul, .div:
            guard let (x, y) = pair(a, b) else { return nil }
            return arithmetic(op, x, y, a, b, e)
        }
    }

    func comparable(_ a: PerkType, _ b: PerkType, ordered: Bool) -> Bool {
        switch (a, b) {
        case (.number, .number), (.percent, .percent), (.text, .text), (.date, .date), (.datetime, .datetime),
             (.date, .datetime), (.datetime, .date):
            return true
        case (.bool, .bool):
            return !ordered
        case (.enumeration(let x), .enumeration(let y)):
            return x == y
        case (.unknown, _), (_, .unknown):
            return true
        default:
            return false
        }
    }

    func comparisonMismatch(_ op: BinaryOp, _ a: Expr, _ x: CheckedExpr, _ b: Expr, _ y: CheckedExpr) -> CheckerMessage {
        if x.type == .bool, y.type == .bool {
            return SemanticError.boolsHaveNoOrder(op.rawValue)
        }
        var help: String?
        if x.type == .number, y.type == .duration, case .constant(.duration(let d)) = y.node, let days = d.fixedDays {
            help = "`\(source(a))` is a number of days; write `\(op.rawValue) \(days)`"
        } else if case .enumeration(let en) = x.type, y.type == .number || y.type == .text {
            // An example that can be true: `>= GOLD` rather than `> VIP`.
            let example = op == .eq || op == .ne ? "\(op.rawValue) \(en.cases.last ?? "")" : ">= \(en.cases[en.cases.count / 2])"
            help = "\(en.name) is one of \(en.cases.joined(separator: ", ")), like `\(source(a)) \(example)`"
        }
        return SemanticError.cannotCompare(source(a), x.type, source(b), y.type, help: help)
    }

    func article(_ t: PerkType) -> String { SemanticError.article(t) }

    mutating func arithmetic(_ op: BinaryOp, _ x: CheckedExpr, _ y: CheckedExpr, _ a: Expr, _ b: Expr, _ e: Expr) -> CheckedExpr? {
        let kind: Arithmetic?
        var type: PerkType = .number
        var left = x, right = y
        // A date-time counts by its day in date arithmetic: `member.last_login + 7 days` is a date.
        func dated(_ t: PerkType) -> PerkType { t == .datetime ? .date : t }
        switch (op, dated(x.type), dated(y.type)) {
        case (.add, .number, .number): kind = .add
        case (.sub, .number, .number): kind = .subtract
        case (.mul, .number, .number): kind = .multiply
        case (.div, .number, .number): kind = .divide
        case (.add, .date, .duration): kind = .dateAdd; type = .date
        case (.add, .duration, .date): kind = .dateAdd; type = .date; (left, right) = (y, x)
        case (.sub, .date, .duration): kind = .dateSubtract; type = .date
        case (.sub, .date, .date): kind = .dateDifference
        case (.mul, .number, .percent): kind = .percentOf
        case (.mul, .percent, .number): kind = .percentOf; (left, right) = (y, x)
        default: kind = nil
        }
        guard let kind else {
            var help: String?
            if x.type == .date, y.type == .number { help = "add a duration to a date, like `\(source(a)) \(op.rawValue) \(source(b)) days`" }
            report(SemanticError.cannotApply(op.rawValue, source(a), x.type, source(b), y.type, help: help), at: e.range)
            return nil
        }
        if kind == .divide, case .constant(.number(let n)) = right.node, n.isZero {
            report(SemanticError.divisionByZero(), at: b.range)
            return nil
        }
        return CheckedExpr(.arithmetic(kind, left, right), type, e.range)
    }

    mutating func list(_ items: [Expr], hint: PerkType?, range: SourceRange) -> CheckedExpr? {
        var element: PerkType = .unknown
        var elementHint: PerkType?
        if case .list(let t)? = hint { elementHint = t } else { elementHint = hint }
        var checked: [CheckedExpr] = []
        for item in items {
            guard let c = check(item, hint: elementHint ?? (element == .unknown ? nil : element)) else { return nil }
            if element == .unknown {
                element = c.type
            } else if !comparable(element, c.type, ordered: false) {
                report(SemanticError.mixedList(source(item), c.type, among: element), at: item.range)
                return nil
            }
            checked.append(c)
        }
        // A list of constants is kept as one constant.
        let values = checked.compactMap { c -> Value? in
            if case .constant(let v) = c.node { return v }
            return nil
        }
        if values.count == checked.count {
            return CheckedExpr(.constant(.list(values)), .list(element), range)
        }
        report(SemanticError.listNotFixed(), at: range)
        return nil
    }

    mutating func inList(_ x: Expr, _ listExpr: Expr, negated: Bool, _ e: Expr) -> CheckedExpr? {
        if case .list(let items) = listExpr.kind {
            let cx: CheckedExpr?
            if needsHint(x), let first = items.first, !needsHint(first) {
                guard let f = check(first) else { return nil }
                cx = check(x, hint: f.type)
            } else {
                cx = check(x)
            }
            guard let cx else { return nil }
            var elements: [CheckedExpr] = []
            for item in items {
                guard let c = check(item, hint: cx.type) else { return nil }
                guard comparable(cx.type, c.type, ordered: false) else {
                    report(SemanticError.listValueMismatch(source(x), cx.type, source(item), c.type), at: item.range)
                    return nil
                }
                elements.append(c)
            }
            return CheckedExpr(.inList(cx, elements, negated: negated), .bool, e.range)
        }
        // `"Taro Milk Tea" in items`: membership in a list-valued field.
        guard let (cx, cl) = pair(x, listExpr) else { return nil }
        guard case .list(let t) = cl.type, comparable(t, cx.type, ordered: false) else {
            report(SemanticError.inNeedsList(source(listExpr), cl.type), at: listExpr.range)
            return nil
        }
        let test = itemTest(cl, cx, range: e.range) ?? CheckedExpr(.listContains(cl, cx), .bool, e.range)
        return negated ? CheckedExpr(.not(test), .bool, e.range) : test
    }

    mutating func between(_ x: Expr, _ lo: Expr, _ hi: Expr, _ e: Expr) -> CheckedExpr? {
        guard let (cx, clo) = pair(x, lo), let chi = check(hi, hint: cx.type) else { return nil }
        for (bound, c) in [(lo, clo), (hi, chi)] where !comparable(cx.type, c.type, ordered: true) {
            report(comparisonMismatch(.ge, x, cx, bound, c), at: e.range)
            return nil
        }
        return CheckedExpr(.between(cx, clo, chi), .bool, e.range)
    }

    mutating func contains(_ a: Expr, _ b: Expr, _ e: Expr) -> CheckedExpr? {
        guard let (x, y) = pair(a, b) else { return nil }
        switch (x.type, y.type) {
        case (.text, .text):
            return CheckedExpr(.textContains(x, y), .bool, e.range)
        case (.list(let t), _) where comparable(t, y.type, ordered: false):
            return itemTest(x, y, range: e.range) ?? CheckedExpr(.listContains(x, y), .bool, e.range)
        default:
            report(SemanticError.containsMismatch(source(a), x.type, source(b), y.type), at: e.range)
            return nil
        }
    }

    /// `items contains "name"`, which the binder resolves to the orders' item
    /// id, so evaluation compares ids, not text.
    mutating func itemTest(_ list: CheckedExpr, _ needle: CheckedExpr, range: SourceRange) -> CheckedExpr? {
        guard case .orderField(.items, _) = list.node, case .constant(.text(let name)) = needle.node else { return nil }
        return CheckedExpr(.orderHasItem(unboundItem, name: name, nameRange: needle.range), .bool, range)
    }

    // MARK: Durations

    mutating func durationConstant(_ e: Expr, after what: String) -> Duration? {
        switch e.kind {
        case .duration(let d):
            return d
        case .number(let n) where n.isInteger:
            report(SemanticError.durationWithoutUnit(source(e), after: what), at: e.range,
                   fixIt: Diagnostic.FixIt(range: SourceRange(e.range.end, e.range.end), replacement: " days"))
            return nil
        default:
            report(SemanticError.expectedDuration(after: what), at: e.range)
            return nil
        }
    }

    mutating func fixedDays(_ e: Expr, after what: String) -> Int? {
        guard let d = durationConstant(e, after: what) else { return nil }
        guard let days = d.fixedDays else {
            report(SemanticError.notInDays(what, unit: d.unit.rawValue), at: e.range)
            return nil
        }
        return days
    }

    // MARK: Calls and order queries

    mutating func call(_ name: Located<String>, _ args: [Expr], _ e: Expr) -> CheckedExpr? {
        if let agg = Aggregate(rawValue: name.value) {
            return aggregate(agg, args, e)
        }
        guard let builtin = Builtin(rawValue: name.value) else {
            let all = Aggregate.allCases.map(\.rawValue) + Builtin.allCases.map(\.rawValue)
            let guess = Suggest.closest(to: name.value, among: all)
            report(SemanticError.unknownFunction(name.value, suggestion: guess, functions: all), at: name.range)
            return nil
        }
        guard args.count == builtin.arity else {
            report(SemanticError.builtinArity(builtin.rawValue, takes: builtin.arity, given: args.count), at: e.range)
            return nil
        }
        guard let x = check(args[0]) else { return nil }
        let (expected, result): (PerkType, PerkType)
        switch builtin {
        case .date: (expected, result) = (.text, .date)
        case .weekday: (expected, result) = (.date, .text)
        case .day, .month, .year: (expected, result) = (.date, .number)
        case .abs: (expected, result) = (.number, .number)
        }
        guard x.type == expected || (expected == .date && x.type == .datetime) else {
            report(SemanticError.builtinArgument(builtin.rawValue, expected, source(args[0]), x.type), at: args[0].range)
            return nil
        }
        // `date("2025-02-30")` is caught here rather than when a rule runs.
        if builtin == .date, case .constant(.text(let s)) = x.node {
            guard let d = LocalDate(parsing: s) else {
                report(SemanticError.notADate(s), at: args[0].range)
                return nil
            }
            return CheckedExpr(.constant(.date(d)), .date, e.range)
        }
        return CheckedExpr(.builtin(builtin, [x]), result, e.range)
    }

    mutating func aggregate(_ agg: Aggregate, _ args: [Expr], _ e: Expr) -> CheckedExpr? {
        guard args.count == 1, case .orders(let query) = args[0].kind else {
            report(SemanticError.aggregateNeedsOrders(agg.rawValue, example: Checker.example(agg)), at: e.range)
            return nil
        }
        var plan = OrderQueryPlan(field: nil, fieldName: nil, window: nil, filter: nil)
        var fieldType: PerkType?
        if let field = query.field {
            guard let f = schema.orderField(field.value) else {
                let guess = Suggest.closest(to: field.value, among: schema.orderFields.map(\.name))
                report(SemanticError.unknownOrderColumn(field.value, suggestion: guess, columns: schema.orderFields.map(\.name)), at: field.range)
                return nil
            }
            plan.field = f.slot
            plan.fieldName = f.name
            fieldType = f.type
        }
        if let window = query.window {
            guard let d = durationConstant(window, after: "`in last`") else { return nil }
            plan.window = d
        }
        if let filter = query.filter {
            let saved = inOrderFilter
            inOrderFilter = true
            let c = condition(filter)
            inOrderFilter = saved
            guard let c else { return nil }
            plan.filter = c
        }
        let result: PerkType
        switch agg {
        case .count, .any, .all:
            result = agg == .count ? .number : .bool
        case .sum, .avg:
            guard let t = fieldType, t == .number else {
                report(SemanticError.aggregateNeedsNumbers(agg.rawValue, field: plan.fieldName, fieldType), at: e.range)
                return nil
            }
            result = .number
        case .min, .max:
            guard let t = fieldType, t == .number || t == .date || t == .datetime else {
                report(SemanticError.aggregateNeedsNumbersOrDates(agg.rawValue), at: e.range)
                return nil
            }
            result = t == .datetime ? .date : t
        }
        return CheckedExpr(.aggregate(agg, plan), result, e.range)
    }

    static func example(_ agg: Aggregate) -> String {
        switch agg {
        case .count: return "orders in last 30 days"
        case .any: return "orders in last 60 days where channel == \"delivery\""
        case .all: return "orders in last 60 days where amount > 20"
        default: return "orders.amount in last 90 days"
        }
    }
}
