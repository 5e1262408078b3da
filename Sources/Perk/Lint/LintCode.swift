/// The codes of the lint rules: P201–P299 are warnings about rules that check
/// but probably do not do what was meant; the README's `perk lint` section lists
/// them. Each rule keeps its messages in its own file under `Rules/`; only the
/// codes are gathered here, so no two rules can take the same one.
enum LintCode: String, DiagnosticCode {
    case neverTrue = "P201"
    case alwaysTrueOrRedundant = "P202"
    case shadowedInExclusiveCampaign = "P203"
    case doubleCoupon = "P204"
    case unlimitedCoupon = "P205"
    case campaignWithoutBudget = "P206"
    case channelWithoutConsent = "P207"
    case negationOverMissing = "P208"
    case unusedDefine = "P209"
    case ruleWithoutActions = "P210"
    case matchesNobody = "P211"
    case matchesEverybody = "P212"
    case contactPolicyExceeded = "P213"
    case tierDowngrade = "P214"
    case mixedConsent = "P215"
    case unknownTextValue = "P216"
    case birthdayInLast = "P217"
}
