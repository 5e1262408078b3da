/// The constant tables the sample shop is made of: menu, stores, names, coupons.
///
/// Tables are arrays, never dictionaries, so their order (and with it the
/// generated data) is the same on every platform.
enum SampleCatalog {
    // MARK: Menu

    struct MenuItem: Sendable {
        var name: String
        /// Exact price in cents: money is never floating point.
        var priceCents: Int
        var isTopping: Bool
        /// How often anyone picks it, relative to the other drinks.
        var popularity: Int
        /// How often a less-sugar customer makes it a favourite: they lean to
        /// plain teas, so a "less-sugar fans who bought Jasmine Green Tea" campaign
        /// finds someone.
        var lessSugarAffinity: Int

        /// UTF-8 bytes, ready to copy into a row.
        var utf8: [UInt8] { Array(name.utf8) }
    }

    static let menu: [MenuItem] = [
        drink("Jasmine Green Tea", 1500, popularity: 9, lessSugar: 30),
        drink("Brown Sugar Boba Milk", 1800, popularity: 14, lessSugar: 1),
        drink("Oolong Milk Tea", 1600, popularity: 10, lessSugar: 16),
        drink("Mango Pomelo Sago", 2200, popularity: 7, lessSugar: 2),
        drink("Taro Milk Tea", 1700, popularity: 8, lessSugar: 2),
        drink("Cheese Foam Oolong", 1900, popularity: 9, lessSugar: 6),
        drink("Grape Jasmine", 2100, popularity: 7, lessSugar: 6),
        drink("Peach Oolong", 1900, popularity: 7, lessSugar: 10),
        drink("Matcha Latte", 2000, popularity: 6, lessSugar: 5),
        drink("Lemon Black Tea", 1300, popularity: 7, lessSugar: 9),
        drink("Hong Kong Milk Tea", 1600, popularity: 6, lessSugar: 2),
        drink("Coconut Jelly Milk Tea", 1700, popularity: 5, lessSugar: 2),
        drink("杨枝甘露", 2200, popularity: 6, lessSugar: 2),
        drink("多肉葡萄", 2300, popularity: 5, lessSugar: 3),
        drink("芝芝莓莓", 2400, popularity: 3, lessSugar: 1),
        drink("烤黑糖波波牛乳", 1900, popularity: 4, lessSugar: 0),
        topping("Extra Boba", 200, popularity: 5),
        topping("Coconut Jelly", 200, popularity: 3),
        topping("Grass Jelly", 200, popularity: 2),
        topping("Pudding", 300, popularity: 2),
    ]

    static let drinkIndexes: [Int] = menu.indices.filter { !menu[$0].isTopping }
    static let toppingIndexes: [Int] = menu.indices.filter { menu[$0].isTopping }

    private static func drink(_ name: String, _ cents: Int, popularity: Int, lessSugar: Int) -> MenuItem {
        MenuItem(name: name, priceCents: cents, isTopping: false, popularity: popularity, lessSugarAffinity: lessSugar)
    }

    private static func topping(_ name: String, _ cents: Int, popularity: Int) -> MenuItem {
        MenuItem(name: name, priceCents: cents, isTopping: true, popularity: popularity, lessSugarAffinity: 0)
    }

    // MARK: Cities and stores

    struct City: Sendable {
        var name: String
        /// Share of customers, in per-mille.
        var share: Int
    }

    static let cities: [City] = [
        City(name: "上海", share: 380),
        City(name: "杭州", share: 170),
        City(name: "深圳", share: 160),
        City(name: "成都", share: 150),
        City(name: "北京", share: 140),
    ]

    struct Store: Sendable {
        var code: String
        /// Index into `cities`.
        var city: Int
    }

    static let stores: [Store] = [
        Store(code: "SH-Jingan", city: 0),
        Store(code: "SH-Xuhui", city: 0),
        Store(code: "SH-Pudong", city: 0),
        Store(code: "HZ-Xihu", city: 1),
        Store(code: "SZ-Nanshan", city: 2),
        Store(code: "SZ-Futian", city: 2),
        Store(code: "CD-Chunxi", city: 3),
        Store(code: "BJ-Sanlitun", city: 4),
    ]

    // MARK: Names

    /// A surname in characters and in pinyin, with a weight after its frequency in China.
    struct Surname: Sendable {
        var han: String
        var pinyin: String
        var weight: Int
    }

    static let surnames: [Surname] = [
        Surname(han: "王", pinyin: "Wang", weight: 72), Surname(han: "李", pinyin: "Li", weight: 70),
        Surname(han: "张", pinyin: "Zhang", weight: 66), Surname(han: "刘", pinyin: "Liu", weight: 53),
        Surname(han: "陈", pinyin: "Chen", weight: 46), Surname(han: "杨", pinyin: "Yang", weight: 33),
        Surname(han: "黄", pinyin: "Huang", weight: 25), Surname(han: "赵", pinyin: "Zhao", weight: 20),
        Surname(han: "吴", pinyin: "Wu", weight: 20), Surname(han: "周", pinyin: "Zhou", weight: 19),
        Surname(han: "徐", pinyin: "Xu", weight: 15), Surname(han: "孙", pinyin: "Sun", weight: 14),
        Surname(han: "马", pinyin: "Ma", weight: 13), Surname(han: "朱", pinyin: "Zhu", weight: 12),
        Surname(han: "胡", pinyin: "Hu", weight: 11), Surname(han: "郭", pinyin: "Guo", weight: 11),
        Surname(han: "何", pinyin: "He", weight: 10), Surname(han: "林", pinyin: "Lin", weight: 10),
        Surname(han: "高", pinyin: "Gao", weight: 10), Surname(han: "罗", pinyin: "Luo", weight: 9),
        Surname(han: "郑", pinyin: "Zheng", weight: 9), Surname(han: "梁", pinyin: "Liang", weight: 8),
        Surname(han: "谢", pinyin: "Xie", weight: 7), Surname(han: "宋", pinyin: "Song", weight: 6),
        Surname(han: "唐", pinyin: "Tang", weight: 6), Surname(han: "欧阳", pinyin: "Ouyang", weight: 1),
    ]

    struct GivenName: Sendable {
        var han: String
        var pinyin: String
    }

    static let givenNames: [GivenName] = [
        GivenName(han: "伟", pinyin: "Wei"), GivenName(han: "芳", pinyin: "Fang"),
        GivenName(han: "娜", pinyin: "Na"), GivenName(han: "敏", pinyin: "Min"),
        GivenName(han: "静", pinyin: "Jing"), GivenName(han: "丽", pinyin: "Li"),
        GivenName(han: "强", pinyin: "Qiang"), GivenName(han: "磊", pinyin: "Lei"),
        GivenName(han: "洋", pinyin: "Yang"), GivenName(han: "艳", pinyin: "Yan"),
        GivenName(han: "勇", pinyin: "Yong"), GivenName(han: "军", pinyin: "Jun"),
        GivenName(han: "杰", pinyin: "Jie"), GivenName(han: "娟", pinyin: "Juan"),
        GivenName(han: "涛", pinyin: "Tao"), GivenName(han: "明", pinyin: "Ming"),
        GivenName(han: "超", pinyin: "Chao"), GivenName(han: "霞", pinyin: "Xia"),
        GivenName(han: "秀英", pinyin: "Xiuying"), GivenName(han: "桂英", pinyin: "Guiying"),
        GivenName(han: "子涵", pinyin: "Zihan"), GivenName(han: "欣怡", pinyin: "Xinyi"),
        GivenName(han: "梓萱", pinyin: "Zixuan"), GivenName(han: "浩宇", pinyin: "Haoyu"),
        GivenName(han: "宇轩", pinyin: "Yuxuan"), GivenName(han: "一诺", pinyin: "Yinuo"),
        GivenName(han: "思远", pinyin: "Siyuan"), GivenName(han: "雨桐", pinyin: "Yutong"),
        GivenName(han: "佳怡", pinyin: "Jiayi"), GivenName(han: "俊杰", pinyin: "Junjie"),
        GivenName(han: "晓雯", pinyin: "Xiaowen"), GivenName(han: "志强", pinyin: "Zhiqiang"),
        GivenName(han: "婷婷", pinyin: "Tingting"), GivenName(han: "浩然", pinyin: "Haoran"),
    ]

    /// English names used by some customers in the app ("Emily Zhang").
    static let englishNames: [String] = [
        "Emily", "Kevin", "Grace", "Jason", "Vivian", "Tony", "Cathy", "Eric", "Amy",
        "Jack", "Linda", "Leo", "Sophie", "Ryan", "Iris", "Daniel", "Coco", "Bella",
    ]

    // MARK: Coupons

    struct Coupon: Sendable {
        var code: String
        var discountCents: Int
    }

    /// First order of a customer who joined during the period.
    static let welcome = Coupon(code: "WELCOME5", discountCents: 500)
    /// Second order soon after the first.
    static let comeBack = Coupon(code: "BACK3", discountCents: 300)
    /// An order within a few days of the customer's birthday, once a year.
    static let birthday = Coupon(code: "BDAY10", discountCents: 1000)
    /// An occasional thank-you for GOLD and VIP members.
    static let loyalty = Coupon(code: "VIP5", discountCents: 500)
    /// App-only promotion.
    static let app = Coupon(code: "APP3", discountCents: 300)
    /// July and August promotion.
    static let summer = Coupon(code: "SUMMER3", discountCents: 300)

    // MARK: Calendar

    /// Chinese New Year's Day (year, month, day), for the dip in orders around it:
    /// many customers leave the big cities and some stores close.
    static let lunarNewYear: [(Int, Int, Int)] = [
        (2015, 2, 19), (2016, 2, 8), (2017, 1, 28), (2018, 2, 16), (2019, 2, 5),
        (2020, 1, 25), (2021, 2, 12), (2022, 2, 1), (2023, 1, 22), (2024, 2, 10),
        (2025, 1, 29), (2026, 2, 17), (2027, 2, 6), (2028, 1, 26), (2029, 2, 13),
        (2030, 2, 3), (2031, 1, 23), (2032, 2, 11), (2033, 1, 31), (2034, 2, 19),
        (2035, 2, 8),
    ]

    /// Relative orders per month, January first: milk tea sells best in summer.
    static let monthWeight: [Int] = [88, 84, 92, 100, 110, 122, 132, 130, 112, 104, 96, 100]

    /// Relative orders per weekday, Monday first: busier towards the weekend.
    static let weekdayWeight: [Int] = [92, 94, 96, 100, 110, 124, 118]

    /// Relative orders per opening hour, 10:00 to 21:00 (the last order is before
    /// 22:00): a lunch peak and a bigger afternoon-tea peak.
    static let openingHour = 10
    static let hourWeight: [Int] = [4, 7, 12, 10, 8, 11, 12, 9, 7, 7, 6, 4]
}
