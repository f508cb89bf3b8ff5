import Foundation

/// What one intake pass did.
public struct IntakeReport: Sendable, Equatable {
    /// Names the accepted files got in `accepted/`.
    public var accepted: [String] = []
    /// Names the rejected files got in `rejected/` (each with its `.error.txt`).
    public var rejected: [String] = []
    /// Files still changing (or changed less than `intake.settle` ago), left for a later pass.
    public var unsettled = 0
    /// When the first of those will have settled.
    public var nextSettle: Date?
    /// Files that could not be handled now (an I/O or database error, logged); tried again.
    public var failed = 0

    public init() {}
}
