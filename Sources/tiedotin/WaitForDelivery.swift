import ArgumentParser
import Foundation
import TiedotinCore

/// `--wait` of announce, send-now and retry: deliver, show progress on a terminal, exit 0 or 3.
enum WaitForDelivery {
    static func run(_ context: CommandContext, scope: [Int64]?) async throws {
        let started = Date()
        let terminal = isatty(STDERR_FILENO) == 1
        let initial = try context.outbox.counts(bodyIDs: scope)
        let sentBefore = initial.sent
        let deliver = DeliverNow(
            outbox: context.outbox, lockPath: context.configuration.paths.lockFile,
            wakePath: context.configuration.paths.wakeSocket, logger: context.logger)
        let showProgress: @Sendable (OutboxCounts) -> Void = { counts in
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            let rate = Double(counts.sent - sentBefore) / elapsed * 60
            let line = String(format: "\r%d/%d sent, %.0f/min, %d deferred, %d failed ", counts.sent, counts.total, rate, counts.deferred, counts.failed)
            FileHandle.standardError.write(Data(line.utf8))
        }
        let counts = try await deliver.run(
            scope: scope, makeEngine: { try context.engine() }, progress: terminal ? showProgress : nil)
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        print("\(counts.sent) sent, \(counts.deferred) waiting for a retry, \(counts.failed) failed.")
        if counts.deferred + counts.failed + counts.queued + counts.sending > 0 {
            print("See `tiedotin outbox status` for the server's answers.")
            throw ExitCode(3)
        }
    }
}
