import Foundation
import XCTest
@testable import Perk

/// `perk lint --format sarif` against SARIF 2.1.0: validated against the OASIS schema
/// (`Fixtures/sarif`) with Python's `jsonschema` (installed from PyPI into
/// `.build/test-tools` when the machine lacks it: a test tool, never a dependency); and
/// `SARIFShape` checks, field by field, what that schema requires of the parts Perk
/// writes (required and allowed properties, enums, minimums), with readable failures.
final class SARIFTests: XCTestCase {
    private func log(_ diagnostics: [Diagnostic], root: String = "/work/shop") throws -> [String: Any] {
        let text = LintReport.sarif(diagnostics, root: root).rendered()
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testEveryCodeHasANameAndShortDescription() {
        for code in DiagnosticCatalogue.allCodes {
            let entry = SARIFRuleCatalogue.rules[code]
            XCTAssertNotNil(entry, "\(code) has no SARIF rule entry")
            XCTAssertFalse(entry?.name.isEmpty ?? true, code)
            XCTAssertFalse(entry?.description.isEmpty ?? true, code)
        }
        XCTAssertEqual(Set(SARIFRuleCatalogue.rules.keys), Set(DiagnosticCatalogue.allCodes), "no entry for a code that does not exist")
    }

    func testRulesLocationsColumnsAndFixes() throws {
        // "café" with a combining accent: 4 characters, 5 code points before the `=`.
        let text = "rule \"cafe\u{301}\" when visit_count = 3 then tag \"x\"\n"
        let file = SourceFile(path: "rules/menu 菜单.perk", text: text)
        let offset = try XCTUnwrap(text.utf8.firstIndex(of: UInt8(ascii: "=")).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) })
        let range = SourceRange(offset, offset + 1)
        let diagnostics = [
            Diagnostic.error(SyntaxCode.singleEquals, "`=` is not a comparison", in: file, range, help: "write `==`",
                             fixIt: Diagnostic.FixIt(range: range, replacement: "==")),
            Diagnostic(.warning, "D023", "no rows", at: .file(path: "/elsewhere/orders.csv")),
        ]
        let sarif = try log(diagnostics)
        XCTAssertEqual(SARIFShape.problems(sarif), [])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
        XCTAssertEqual((run["originalUriBaseIds"] as? [String: [String: String]])?["%SRCROOT%"]?["uri"], "file:///work/shop/")
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, ["D023", "P010"])
        XCTAssertEqual(rules[1]["name"] as? String, "SingleEquals")
        XCTAssertEqual((rules[1]["shortDescription"] as? [String: String])?["text"], "= for ==")
        XCTAssertTrue(rules.allSatisfy { $0["helpUri"] == nil }, "a relative helpUri is not allowed, and there is no absolute one")

        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        let physical = try XCTUnwrap((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual(physical["artifactLocation"] as? [String: String],
                       ["uri": "rules/menu%20%E8%8F%9C%E5%8D%95.perk", "uriBaseId": "%SRCROOT%"])
        let column = "rule \"cafe\u{301}\" when visit_count ".unicodeScalars.count + 1
        XCTAssertEqual(physical["region"] as? [String: Int], ["startLine": 1, "startColumn": column, "endLine": 1, "endColumn": column + 1])
        XCTAssertEqual(results[0]["ruleIndex"] as? Int, 1)

        let fix = try XCTUnwrap((results[0]["fixes"] as? [[String: Any]])?.first)
        XCTAssertEqual((fix["description"] as? [String: String])?["text"], "write `==`")
        let change = try XCTUnwrap((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try XCTUnwrap((change["replacements"] as? [[String: Any]])?.first)
        XCTAssertEqual((replacement["insertedContent"] as? [String: String])?["text"], "==")
        XCTAssertEqual(replacement["deletedRegion"] as? [String: Int], physical["region"] as? [String: Int])

        let outside = try XCTUnwrap((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual(outside["artifactLocation"] as? [String: String], ["uri": "file:///elsewhere/orders.csv"],
                       "a file outside the root gets an absolute URI and no base")
        XCTAssertNil(results[1]["fixes"])
    }

    func testPathsAreNormalisedBeforeTakingThemRelative() {
        let paths = SARIFPaths(root: "/work/shop/")
        XCTAssertEqual(paths.rootURI, "file:///work/shop/")
        XCTAssertEqual(paths.location(of: "./rules/../rules/a.perk").rendered(), "{\n  \"uri\": \"rules/a.perk\",\n  \"uriBaseId\": \"%SRCROOT%\"\n}")
        XCTAssertEqual(paths.location(of: "/work/shopping/a.perk").rendered(), "{\n  \"uri\": \"file:///work/shopping/a.perk\"\n}")
    }

    /// As a user runs it: a relative path from the folder perk runs in.
    func testLintCommandWritesAValidLog() throws {
        let dir = try PerkProcess.folder(["e.perk": "rule \"r\" when visit_count = 3 then tag \"x\"\n"])
        let r = try PerkProcess.run(["lint", "e.perk", "--format", "sarif"], directory: dir)
        XCTAssertEqual(r.status, 1)
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(SARIFShape.problems(sarif), [])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let result = try XCTUnwrap((run["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["ruleId"] as? String, "P010")
        XCTAssertNotNil(result["fixes"])
        let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        XCTAssertEqual(location?["artifactLocation"] as? [String: String], ["uri": "e.perk", "uriBaseId": "%SRCROOT%"])
    }

    func testTheLogIsValidAgainstTheSARIFSchema() throws {
        let dir = try PerkProcess.folder([
            "e.perk": "rule \"r\" when visit_count = 3 then tag \"x\"\nrule \"s\" when member.tierr == VIP then send coupon ¥20\n",
            "w.perk": "define unused = visit_count > 1\nrule \"城市\" when member.tier == VIP then send coupon 5\n",
        ])
        let r = try PerkProcess.run(["lint", "e.perk", "w.perk", "--format", "sarif"], directory: dir)
        XCTAssertEqual(r.status, 1)
        let logPath = dir.appendingPathComponent("perk.sarif").path
        try r.stdout.write(toFile: logPath, atomically: true, encoding: .utf8)
        let schema = Repository.path("Tests/PerkTests/Fixtures/sarif/sarif-2.1.0-rtm.4.json")
        let tools = try Self.jsonschemaPath()
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema, log = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
            for e in errors: print(list(e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """, schema, logPath]
        check.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": tools]) { _, new in new }
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        check.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(check.terminationStatus, 0, "the SARIF log breaks the schema:\n\(said)")
    }

    /// A folder for PYTHONPATH where `jsonschema` can be imported: empty when the
    /// machine has it, else `.build/test-tools/python`, installed there once with pip.
    private static func jsonschemaPath() throws -> String {
        func succeeds(_ arguments: [String], pythonPath: String = "") -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = arguments
            p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": pythonPath]) { _, new in new }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return false }
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        let canImport = ["python3", "-c", "import jsonschema"]
        if succeeds(canImport) { return "" }
        let folder = Repository.path(".build/test-tools/python")
        if succeeds(canImport, pythonPath: folder) { return folder }
        guard succeeds(["python3", "-m", "pip", "install", "--quiet", "--target", folder, "jsonschema"]),
              succeeds(canImport, pythonPath: folder) else {
            throw XCTSkip("python3 with pip is needed to fetch jsonschema from PyPI for the SARIF schema check")
        }
        return folder
    }

    func testTheCheckerCatchesWhatTheSchemaForbids() {
        let bad: [String: Any] = ["version": "2.1", "runs": [["tool": ["driver": ["rules": [["id": "P1", "helpUri": "README.md"]]]],
                                                               "columnKind": "characters", "results": [["level": "fatal", "extra": 1]]]]]
        let problems = SARIFShape.problems(bad)
        for expected in ["version must be 2.1.0", "runs[0].tool.driver: missing name", "runs[0].tool.driver.rules[0].helpUri is not absolute",
                         "runs[0].columnKind is not one of", "runs[0].results[0].level is not one of", "runs[0].results[0]: unknown property extra",
                         "runs[0].results[0]: missing message"] {
            XCTAssertTrue(problems.contains { $0.hasPrefix(expected) }, "\(expected) not in \(problems)")
        }
    }
}

/// What the SARIF 2.1.0 schema requires of the objects Perk writes, as a list of problems.
enum SARIFShape {
    static func problems(_ log: [String: Any]) -> [String] {
        var out: [String] = []
        keys(log, "", allowed: ["$schema", "version", "runs"], required: ["version", "runs"], &out)
        if log["version"] as? String != "2.1.0" { out.append("version must be 2.1.0") }
        let runs = log["runs"] as? [[String: Any]] ?? []
        for (i, run) in runs.enumerated() { check(run: run, "runs[\(i)]", &out) }
        return out
    }

    private static func check(run: [String: Any], _ at: String, _ out: inout [String]) {
        keys(run, at, allowed: ["tool", "results", "originalUriBaseIds", "columnKind"], required: ["tool"], &out)
        let tool = run["tool"] as? [String: Any] ?? [:]
        keys(tool, at + ".tool", allowed: ["driver"], required: ["driver"], &out)
        let driver = tool["driver"] as? [String: Any] ?? [:]
        keys(driver, at + ".tool.driver", allowed: ["name", "rules"], required: ["name"], &out)
        let rules = driver["rules"] as? [[String: Any]] ?? []
        for (i, rule) in rules.enumerated() {
            let here = at + ".tool.driver.rules[\(i)]"
            keys(rule, here, allowed: ["id", "name", "shortDescription", "helpUri"], required: ["id"], &out)
            if let d = rule["shortDescription"] { message(d, here + ".shortDescription", &out) }
            if let uri = rule["helpUri"] as? String, !isAbsolute(uri) { out.append(here + ".helpUri is not absolute: \(uri)") }
        }
        var bases: Set<String> = []
        if let ids = run["originalUriBaseIds"] as? [String: Any] {
            for (id, value) in ids {
                let uri = (value as? [String: Any])?["uri"] as? String ?? ""
                if !isAbsolute(uri) || !uri.hasSuffix("/") { out.append(at + ".originalUriBaseIds.\(id) must be absolute and end in /") }
                bases.insert(id)
            }
        }
        if let kind = run["columnKind"], !["utf16CodeUnits", "unicodeCodePoints"].contains(kind as? String ?? "") {
            out.append(at + ".columnKind is not one of utf16CodeUnits, unicodeCodePoints")
        }
        for (i, result) in (run["results"] as? [[String: Any]] ?? []).enumerated() {
            let here = at + ".results[\(i)]"
            keys(result, here, allowed: ["ruleId", "ruleIndex", "level", "message", "locations", "fixes"], required: ["message"], &out)
            if let m = result["message"] { message(m, here + ".message", &out) }
            if let level = result["level"], !["none", "note", "warning", "error"].contains(level as? String ?? "") {
                out.append(here + ".level is not one of none, note, warning, error")
            }
            if let index = result["ruleIndex"] as? Int {
                if index < 0 || index >= rules.count || rules[index]["id"] as? String != result["ruleId"] as? String {
                    out.append(here + ".ruleIndex does not point at its ruleId")
                }
            }
            for (j, location) in (result["locations"] as? [[String: Any]] ?? []).enumerated() {
                keys(location, here + ".locations[\(j)]", allowed: ["physicalLocation"], required: [], &out)
                if let physical = location["physicalLocation"] as? [String: Any] {
                    let p = here + ".locations[\(j)].physicalLocation"
                    keys(physical, p, allowed: ["artifactLocation", "region"], required: [], &out)
                    artifact(physical["artifactLocation"], p + ".artifactLocation", bases: bases, &out)
                    if let r = physical["region"] { region(r, p + ".region", &out) }
                }
            }
            for (j, fix) in (result["fixes"] as? [[String: Any]] ?? []).enumerated() {
                let f = here + ".fixes[\(j)]"
                keys(fix, f, allowed: ["description", "artifactChanges"], required: ["artifactChanges"], &out)
                if let d = fix["description"] { message(d, f + ".description", &out) }
                let changes = fix["artifactChanges"] as? [[String: Any]] ?? []
                if changes.isEmpty { out.append(f + ".artifactChanges needs at least one item") }
                for (k, change) in changes.enumerated() {
                    let c = f + ".artifactChanges[\(k)]"
                    keys(change, c, allowed: ["artifactLocation", "replacements"], required: ["artifactLocation", "replacements"], &out)
                    artifact(change["artifactLocation"], c + ".artifactLocation", bases: bases, &out)
                    let replacements = change["replacements"] as? [[String: Any]] ?? []
                    if replacements.isEmpty { out.append(c + ".replacements needs at least one item") }
                    for (n, replacement) in replacements.enumerated() {
                        let r = c + ".replacements[\(n)]"
                        keys(replacement, r, allowed: ["deletedRegion", "insertedContent"], required: ["deletedRegion"], &out)
                        if let d = replacement["deletedRegion"] { region(d, r + ".deletedRegion", &out) }
                        if let inserted = replacement["insertedContent"] as? [String: Any] {
                            keys(inserted, r + ".insertedContent", allowed: ["text"], required: ["text"], &out)
                        }
                    }
                }
            }
        }
    }

    private static func keys(_ object: [String: Any], _ at: String, allowed: Set<String>, required: [String], _ out: inout [String]) {
        for key in object.keys.sorted() where !allowed.contains(key) { out.append("\(at): unknown property \(key)") }
        for key in required where object[key] == nil { out.append("\(at): missing \(key)") }
    }

    /// A message or multiformatMessageString: `text` is what Perk uses, and is required here.
    private static func message(_ value: Any, _ at: String, _ out: inout [String]) {
        guard let object = value as? [String: Any], object["text"] is String, object.count == 1 else {
            out.append(at + " must be {\"text\": string}")
            return
        }
    }

    private static func artifact(_ value: Any?, _ at: String, bases: Set<String>, _ out: inout [String]) {
        guard let object = value as? [String: Any], let uri = object["uri"] as? String else { return out.append(at + ": missing uri") }
        keys(object, at, allowed: ["uri", "uriBaseId"], required: ["uri"], &out)
        if let base = object["uriBaseId"] as? String {
            if !bases.contains(base) { out.append(at + ".uriBaseId \(base) is not in originalUriBaseIds") }
            if isAbsolute(uri) { out.append(at + ".uri is absolute, with a base") }
        } else if !isAbsolute(uri) {
            out.append(at + ".uri is relative, without a base")
        }
        if URL(string: uri) == nil || uri.contains(" ") { out.append(at + ".uri is not a URI: \(uri)") }
    }

    private static func region(_ value: Any, _ at: String, _ out: inout [String]) {
        guard let r = value as? [String: Int] else { return out.append(at + " must hold whole numbers") }
        keys(r, at, allowed: ["startLine", "startColumn", "endLine", "endColumn"], required: ["startLine"], &out)
        for (key, n) in r where n < 1 { out.append("\(at).\(key) must be at least 1") }
        if let s = r["startLine"], let e = r["endLine"], e < s { out.append(at + " ends before it starts") }
    }

    private static func isAbsolute(_ uri: String) -> Bool {
        guard let colon = uri.firstIndex(of: ":"), colon != uri.startIndex else { return false }
        return uri[..<colon].allSatisfy { $0.isLetter || $0.isNumber || "+.-".contains($0) }
    }
}
