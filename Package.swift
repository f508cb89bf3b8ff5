// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tiedotin",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tiedotin", targets: ["tiedotin"]),
        .library(name: "TiedotinCore", targets: ["TiedotinCore"]),
        .library(name: "MIME", targets: ["MIME"]),
        .library(name: "Recurrence", targets: ["Recurrence"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // libcurl, with a header of inline wrappers: curl_easy_setopt is variadic.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // cmark, the CommonMark reference library: Markdown parsed into one tree for HTML and text.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // RFC 5322 / MIME / RFC 2047 writing; knows nothing of the rest.
        .target(name: "MIME"),
        // RFC 5545 RRULE parsing and evaluation; knows nothing of the rest.
        .target(name: "Recurrence"),
        // RFC 5545 / RFC 5546 invitation writing (VEVENT, VTIMEZONE); knows nothing of the rest.
        .target(name: "ICalendar"),
        .target(
            name: "TiedotinCore",
            dependencies: [
                "CCurl",
                "CCmark",
                "MIME",
                "Recurrence",
                "ICalendar",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "tiedotin",
            dependencies: [
                "TiedotinCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The benchmark's reference: a bare libcurl SMTP sender (make bench).
        .executableTarget(name: "bare-sender", dependencies: ["CCurl"], path: "Benchmarks/BareSender"),
        .target(
            name: "TestSupport",
            dependencies: ["TiedotinCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            exclude: ["smtp_server.py", "inspect_message.py", "token_server.py"]
        ),
        .testTarget(name: "MIMETests", dependencies: ["MIME", "TestSupport"]),
        .testTarget(name: "RecurrenceTests", dependencies: ["Recurrence"]),
        .testTarget(name: "ICalendarTests", dependencies: ["ICalendar", "TestSupport"], exclude: ["parse_calendar.py"]),
        .testTarget(name: "ConfigTests", dependencies: ["TiedotinCore", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["TiedotinCore", "TestSupport"]),
        .testTarget(name: "MembersTests", dependencies: ["TiedotinCore", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["TiedotinCore", "MIME", "TestSupport"]),
        .testTarget(name: "MarkdownTests", dependencies: ["TiedotinCore"]),
        .testTarget(name: "IntakeTests", dependencies: ["TiedotinCore", "TestSupport"]),
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport"]),
        .testTarget(name: "ServiceTests", dependencies: ["TiedotinCore", "TestSupport"], exclude: ["apply_syscall_filter.py"]),
        .testTarget(
            name: "NewsletterTests",
            dependencies: [
                "TiedotinCore", "TestSupport",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "MeetingsTests", dependencies: ["TiedotinCore", "Recurrence", "ICalendar", "TestSupport"],
            exclude: ["compare_rrule.py"]),
        .testTarget(name: "ReturnsTests", dependencies: ["TiedotinCore", "TestSupport"], exclude: ["returned_mail.py"]),
    ]
)
