/// A simulation as JSON. The shape is documented in the README and stable:
/// fields may be added, none removed or renamed. Money is exact decimals,
/// rates are fractions rounded to four decimals.
struct SimulationJSON {
    let result: SimulationResult
    let comparison: SimulationComparison?
    let labels: (base: String, compared: String)

    private var program: CheckedProgram { result.program }

    func json() -> JSON {
        var fields: [(String, JSON)] = [
            ("from", .string(result.period.from.description)),
            ("to", .string(result.period.to.description)),
            ("days", .int(result.period.dayCount)),
            ("customers", .int(result.customers.count)),
            ("first_order_date", .optional(result.firstOrderDate?.description)),
            ("last_order_date", .optional(result.lastOrderDate?.description)),
            ("totals", totals()),
            ("campaigns", .array(result.campaigns.map(campaign))),
            ("rules", .array(result.rules.map(rule))),
            ("tiers", .array(result.tiers.map(tier))),
            ("overlap", overlap()),
            ("daily", .array(result.daily.map(day))),
        ]
        if let comparison { fields.append(("comparison", compare(comparison))) }
        return .object(fields)
    }

    // MARK: Parts

    private func totals() -> JSON {
        let t = result.totals
        let channels: [(String, JSON)] = Channel.allCases.map { ($0.rawValue, .int(t.sendsByChannel[$0] ?? 0)) }
            + [("account", .int(t.sendsByChannel[nil] ?? 0))]
        return .object([
            ("customers_reached", .int(t.reached.count)),
            ("decisions", statuses(t.decisions)),
            ("actions_sent", .int(t.actionsSent)),
            ("sends_by_channel", .object(channels)),
            ("coupons", coupons(t.coupons)),
            ("points_awarded", .exact(t.pointsEarned)),
            ("tier_changes", .int(t.tierChanges)),
            ("staff_notifications", .int(t.staffNotifications)),
            ("tags", .object(t.tags.keys.sorted().map { ($0, .int(t.tags[$0] ?? 0)) })),
            ("return_rates", returns(t.returns)),
        ])
    }

    private func campaign(_ o: CampaignOutcome) -> JSON {
        let c = program.campaigns[o.campaign]
        return .object([
            ("name", .string(c.name)),
            ("from", .optional(c.from?.description)),
            ("to", .optional(c.to?.description)),
            ("active_days", .int(o.activeDays)),
            ("budget", o.budget.map(JSON.exact) ?? .null),
            ("spent", .exact(o.spent)),
            ("spent_before", .exact(o.spentBefore)),
            ("left", o.left.map(JSON.exact) ?? .null),
            ("budget_ran_out_on", .optional(o.budgetRanOut?.description)),
            ("holdout_percent", c.holdout.map(JSON.exact) ?? .null),
            ("exclusive", .bool(c.exclusive)),
            ("decisions", statuses(o.decisions)),
            ("coupons", coupons(o.coupons)),
            ("return_rates", returns(o.returns)),
        ])
    }

    private func rule(_ o: RuleOutcome) -> JSON {
        let r = program.rules[o.rule]
        let funnel: JSON = .object([
            ("decisions", statuses(o.decisions, matched: o.decisions.total)),
            ("customers", statuses(o.customers, matched: o.customersMatched.count)),
        ])
        let samples = o.samples.map { s -> JSON in
            .object([("date", .string(s.day.description)), ("customer_id", .string(s.customerID)),
                     ("why", .array(s.reasons.map { .object([("field", .string($0.field)), ("value", .string($0.value))]) }))])
        }
        return .object([
            ("name", .string(r.name)),
            ("file", .string(r.file.path)),
            ("line", .int(r.file.lineColumn(of: r.range.start).line)),
            ("campaign", .optional(r.campaign.map { program.campaigns[$0].name })),
            ("priority", .int(r.priority)),
            ("funnel", funnel),
            ("customers_reached", .int(o.customersReached.count)),
            ("actions_sent", .int(o.actionsSent)),
            ("coupons", coupons(o.coupons)),
            ("points_awarded", .exact(o.pointsEarned)),
            ("return_rates", returns(o.returns)),
            ("samples", .array(samples)),
        ])
    }

    private func tier(_ t: TierOutcome) -> JSON {
        .object([("tier", .string(t.name)), ("customers", .int(t.customers)), ("customers_reached", .int(t.reached.count)),
                 ("decisions_sent", .int(t.decisionsSent)), ("coupons", coupons(t.coupons))])
    }

    private func overlap() -> JSON {
        let o = result.overlap
        return .object([
            ("customers_by_rule_count", .array(o.customersByRuleCount.enumerated().map {
                .object([("rules", .int($0.offset + 1)), ("customers", .int($0.element))])
            })),
            ("pairs", .array(o.pairs.map {
                .object([("rules", .array([.string(program.rules[$0.first].name), .string(program.rules[$0.second].name)])),
                         ("customers", .int($0.customers))])
            })),
        ])
    }

    private func day(_ d: DayOutcome) -> JSON {
        .object([
            ("date", .string(d.day.description)),
            ("sent", .object(program.rules.indices.map { (program.rules[$0].name, .int(d.sentByRule[$0])) })),
            ("spent", .object(program.campaigns.indices.map { (program.campaigns[$0].name, .exact(d.spentByCampaign[$0])) })),
        ])
    }

    // MARK: Comparison

    private func compare(_ c: SimulationComparison) -> JSON {
        func figures(_ f: SimulationComparison.SentFigures?) -> JSON {
            guard let f else { return .null }
            return .object([("decisions_sent", .int(f.decisionsSent)), ("customers_reached", .int(f.customersReached)),
                            ("coupons", coupons(f.coupons))])
        }
        func actions(_ list: [(action: SimulationComparison.Action, count: Int)]) -> JSON {
            .array(list.map {
                .object([("rule", .string($0.action.rule)), ("action", .string($0.action.action)), ("value", .string($0.action.value)),
                         ("channel", .optional($0.action.channel.isEmpty ? nil : $0.action.channel)), ("count", .int($0.count))])
            })
        }
        return .object([
            ("base", .string(labels.base)),
            ("compared", .string(labels.compared)),
            ("totals", .object([("base", figures(c.totals.base)), ("compared", figures(c.totals.compared))])),
            ("rules", .array(c.rules.map { .object([("name", .string($0.name)), ("base", figures($0.base)), ("compared", figures($0.compared))]) })),
            ("customers_gaining", .int(c.customersGaining)),
            ("customers_losing", .int(c.customersLosing)),
            ("customers", .array(c.customers.map {
                .object([("customer_id", .string($0.customerID)), ("gained", actions($0.gained)), ("lost", actions($0.lost))])
            })),
        ])
    }

    // MARK: Shared shapes

    private func statuses(_ counts: StatusCounts, matched: Int? = nil) -> JSON {
        var fields: [(String, JSON)] = matched.map { [("matched", .int($0))] } ?? []
        fields += DecisionStatus.allCases.map { ($0.rawValue, .int(counts[$0])) }
        return .object(fields)
    }

    private func coupons(_ c: CouponTotals) -> JSON {
        .object([("issued", .int(c.issued)), ("face_value", .exact(c.faceValue)), ("redeemed", .int(c.redeemed)), ("cost", .exact(c.cost))])
    }

    private func returns(_ r: GroupReturns) -> JSON {
        func group(_ g: ReturnCount) -> JSON {
            .object([("decisions", .int(g.decisions)), ("returned", .int(g.returned)),
                     ("rate", g.rate.map { .number($0.formatted(places: 4)) } ?? .null)])
        }
        // The held-out share of both groups' decisions, to set against the holdout percentage.
        let both = r.targeted.decisions + r.heldOut.decisions
        let share = both > 0 ? Number(r.heldOut.decisions).dividing(by: Number(both)) : nil
        return .object([("targeted", group(r.targeted)), ("held_out", group(r.heldOut)),
                        ("held_out_share", share.map { .number($0.formatted(places: 4)) } ?? .null)])
    }
}
