/// The text of `:help`, and the REPL's greeting.
public enum ReplHelp {
    public static let text = """
    Ask about customers (any condition of the rules language):
      customers where COND        how many, then the first rows
      count customers where COND  how many
      customer "C00042"           one customer: attributes, derived fields, orders
      top 10 customers by EXPR    highest first; ties in id order
      group customers by EXPR     customers, share, total and average spend per
                                  value: weekdays Monday first, others largest first
      EXPR                        a value alone: 2 + 3, date("2025-03-01") + 30 days
    `top` and `group` take a condition at the end: `where member.tier == VIP`.

    Try rules: type a rule, define or campaign, on one line or several (the
    prompt shows `...` while it is unfinished; an empty line ends it as it is).
    A `limit`, `every` or `priority` line right after a rule adds to that rule.
      when member.tier == VIP and days_since_visit > 60 then send coupon 20
      define lapsed = days_since_visit > 60

    Commands:
      :load FILE          load a .perk file or a folder of them
      :rules              the rules and defines, and how many customers each matches
      :run [RULE]         preview the action plan (of one rule alone, if named)
      :explain RULE ID    why a rule does or does not act for a customer, as a tree
      :asof [DATE]        show or change the evaluation day (`today`)
      :schema             fields, their types and example values
      :help               this text
      :quit               leave (or Ctrl-D on an empty line)

    Keys: arrows and Home/End move, Up/Down recall history, Tab completes,
    Ctrl-A/E start/end, Ctrl-K/U cut to end/start, Ctrl-W cut a word,
    Ctrl-L clear the screen, Ctrl-C clear the line (or stop a question that
    takes too long).

    """

    public static func greeting(summary: String, day: LocalDate) -> String {
        "perk repl: \(summary)\nevaluating as of \(day). :help lists what you can ask, :quit leaves.\n"
    }
}
