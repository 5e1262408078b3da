import Perk

/// A deterministic file of many varied rules for timing parse, check and lint:
/// the shapes the example campaigns use, with numbers from a seeded generator,
/// and campaigns of 100 rules each (every other one exclusive).
enum RuleFileGenerator {
    static func source(rules count: Int, seed: UInt64 = 1) -> String {
        var rng = seed
        func next(_ bound: Int) -> Int {
            rng &+= 0x9E37_79B9_7F4A_7C15
            var z = rng
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        let tiers = ["MEMBER", "SILVER", "GOLD", "VIP"]
        var lines = ["define lapsed = days_since_visit > 60", "define regular = count(orders in last 30 days) >= 4", ""]
        for i in 0..<count {
            let t = tiers[next(4)], n = next(200) + 1, m = next(50) + 1
            let condition: String
            switch next(6) {
            case 0: condition = "member.tier == \(t) and days_since_visit > \(n)"
            case 1: condition = "member.tier >= \(t) and visit_count between \(m) and \(m + 20)"
            case 2: condition = "lapsed and member.points > \(n * 10)"
            case 3: condition = "regular and total_spend > \(n * 5)"
            case 4: condition = "any(orders in last \(m) days where items contains \"Jasmine Green Tea\") and member.sugar_pref == \"less\""
            default: condition = "birthday in next \(m % 7 + 1) days and member.tier in [\(t), VIP]"
            }
            let action: String
            switch next(4) {
            case 0: action = "send coupon \(m) via sms limit once per customer every 30 days"
            case 1: action = "send coupon \(m)% max \(m) via wechat limit 3 per customer"
            case 2: action = "tag \"t\""
            default: action = "award points \(n)"
            }
            lines.append("rule \"R\(i)\" priority \(next(10)) when \(condition) then \(action)")
        }
        for c in 0..<(count / 100) {
            let members = (c * 100..<(c + 1) * 100).map { "\"R\($0)\"" }.joined(separator: ", ")
            lines.append("campaign \"C\(c)\" budget 10000 holdout 5% \(c % 2 == 0 ? "exclusive" : "") rules \(members)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
