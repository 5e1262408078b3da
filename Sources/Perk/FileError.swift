/// The codes of problems with the files and options a command is given, before
/// any of them is parsed: F001–F099; the README lists them.
enum FileCode: String, DiagnosticCode {
    /// F001: a path given on the command line does not exist.
    case noSuchFile = "F001"
    /// F002: a folder given for rules holds no `.perk` files.
    case noRulesInFolder = "F002"
    /// F003: a rules file exists but cannot be read.
    case unreadable = "F003"
    /// F004: `--orders` without `--customers`.
    case ordersWithoutCustomers = "F004"
}

/// Every message about files and options, with its code.
enum FileError {
    static func noSuchFile(_ path: String) -> Diagnostic {
        Diagnostic(.error, FileCode.noSuchFile, "no such file or folder", at: .file(path: path))
    }

    static func noRulesInFolder(_ path: String) -> Diagnostic {
        Diagnostic(.error, FileCode.noRulesInFolder, "the folder has no .perk files", at: .file(path: path))
    }

    static func unreadable(_ path: String) -> Diagnostic {
        Diagnostic(.error, FileCode.unreadable, "cannot read the file", at: .file(path: path))
    }

    static func ordersWithoutCustomers() -> Diagnostic {
        Diagnostic(.error, FileCode.ordersWithoutCustomers, "--orders needs --customers: the customers file says who the orders belong to")
    }
}
