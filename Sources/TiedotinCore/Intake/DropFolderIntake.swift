import Foundation
import Logging

/// One pass over the drop folder: every settled file in `incoming/` ends in `accepted/`
/// (recorded in the store) or in `rejected/` (with `NAME.error.txt`), never both, never lost.
///
/// Crash safety: an accepted item is recorded first and moved second. If the process dies in
/// between, the next pass finds the file still in `incoming/` with the hash of a recorded item
/// whose file is missing from `accepted/`, and finishes the move under the recorded name:
/// no item is lost or recorded twice. A rejection writes its error file first and moves the
/// item second; an error file left without its item is overwritten by the next attempt.
public struct DropFolderIntake: Sendable {
    public let configuration: Configuration
    public let store: Store
    let folder: DropFolder
    let acknowledgement: IntakeAcknowledgement?
    let logger: Logger

    public init(configuration: Configuration, store: Store, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        folder = DropFolder(root: configuration.paths.dropFolder)
        acknowledgement = configuration.intake.acknowledge
            ? IntakeAcknowledgement(configuration: configuration, outbox: Outbox(store: store)) : nil
    }

    /// The file that keeps two processes from taking the same file.
    var lockPath: String { configuration.paths.database + ".intake.lock" }

    /// Handles every file that has been unchanged for `intake.settle` by `now`; leaves the others.
    public func runPass(now: Date) throws(IntakeError) -> IntakeReport {
        try folder.prepare()
        let lock = try IntakeLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        var report = IntakeReport()
        let settle = configuration.intake.settle.timeInterval
        for listed in try folder.entries() {
            // Look again under the lock: another process may have taken it meanwhile.
            guard let entry = folder.entry(listed.name) else { continue }
            let settled = entry.lastChange.addingTimeInterval(settle)
            if settled > now {
                report.unsettled += 1
                report.nextSettle = min(report.nextSettle ?? settled, settled)
                continue
            }
            do {
                try handle(entry, now: now, report: &report)
            } catch {
                report.failed += 1
                logger.error("\(error)", metadata: ["item": "\(entry.name)"])
            }
        }
        return report
    }

    private func handle(_ entry: DropFolder.Entry, now: Date, report: inout IntakeReport) throws {
        let limit = configuration.intake.maxItemSize
        switch entry.kind {
        case .symbolicLink: return try reject(entry.name, [.symbolicLink], contact: nil, now: now, report: &report)
        case .folder: return try reject(entry.name, [.notRegularFile(kind: "folder")], contact: nil, now: now, report: &report)
        case .other(let kind): return try reject(entry.name, [.notRegularFile(kind: kind)], contact: nil, now: now, report: &report)
        case .regular: break
        }
        if entry.links > 1 {
            return try reject(entry.name, [.hardLink], contact: nil, now: now, report: &report)
        }
        guard let name = entry.name.text else {
            return try reject(entry.name, [.nameNotUTF8], contact: nil, now: now, report: &report)
        }
        guard entry.size <= limit, let bytes = try folder.read(entry.name, limit: limit) else {
            if entry.size > limit {
                try reject(entry.name, [.tooLarge(size: entry.size, limit: limit)], contact: nil, now: now, report: &report)
            }
            return
        }
        if bytes.count > limit {
            return try reject(entry.name, [.tooLarge(size: bytes.count, limit: limit)], contact: nil, now: now, report: &report)
        }
        let parser = ItemParser(sections: configuration.newsletter.sections, today: localDate(now))
        let parsed: ItemParser.ParsedItem
        switch parser.parse(bytes) {
        case .failure(let failure): return try reject(entry.name, failure.problems, contact: failure.contact, now: now, report: &report)
        case .success(let item): parsed = item
        }
        if let existing = try store.item(withContentHash: parsed.contentHash) {
            let recordedName = DropName(existing.fileName)
            if existing.originalName == name, !folder.exists(recordedName, in: folder.accepted) {
                // Recorded by a pass that stopped before the move: finish it.
                try folder.move(entry.name, to: folder.accepted, as: recordedName)
                logger.notice("finished accepting an item recorded before an interruption", metadata: [
                    "item": "\(entry.name)", "accepted_as": "\(existing.fileName)",
                ])
                report.accepted.append(existing.fileName)
                return
            }
            return try reject(entry.name, [.duplicate(of: existing.fileName)], contact: parsed.contact, now: now, report: &report)
        }
        let target = try freeAcceptedName(for: entry.name)
        let item = try store.recordAcceptedItem(NewsletterItem(
            fileName: target, originalName: name, title: parsed.title, organisation: parsed.organisation,
            contact: parsed.contact, section: parsed.section, eventDate: parsed.eventDate, link: parsed.link,
            publishUntil: parsed.publishUntil, body: parsed.body, contentHash: parsed.contentHash, acceptedAt: now))
        try folder.move(entry.name, to: folder.accepted, as: DropName(target))
        logger.info("accepted a newsletter item", metadata: [
            "item": "\(entry.name)", "accepted_as": "\(target)", "section": "\(parsed.section)", "title": "\(parsed.title)",
        ])
        report.accepted.append(target)
        acknowledge { try $0.accepted(item, at: now) }
    }

    /// A free name in `accepted/` that no recorded item claims either.
    private func freeAcceptedName(for name: DropName) throws -> String {
        var failure: (any Error)?
        let target = folder.freeName(for: name, in: folder.accepted, reserve: 0) { candidate in
            do {
                return try store.isAcceptedNameRecorded(candidate.text ?? "")
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return target.text ?? name.description
    }

    private func reject(
        _ name: DropName, _ problems: [IntakeProblem], contact: String?, now: Date, report: inout IntakeReport
    ) throws {
        let target = folder.freeName(for: name, in: folder.rejected, reserve: ".error.txt".utf8.count)
        let texts = IntakeTexts(configuration.organisation.language)
        try folder.writeErrorFile(for: target, text: texts.rejection(of: name.description, problems: problems))
        try folder.move(name, to: folder.rejected, as: target)
        logger.notice("rejected a newsletter item", metadata: [
            "item": "\(name)", "rejected_as": "\(target)",
            "reason": "\(problems.map { "line \($0.line): \($0)" }.joined(separator: "; "))",
        ])
        report.rejected.append(target.description)
        if let contact { acknowledge { try $0.rejected(name: name.description, errorFile: target.errorFileName.description, problems: problems, contact: contact, at: now) } }
    }

    /// Queues the acknowledgement when `intake.acknowledge` is on. A failure is logged: the
    /// item itself is handled either way.
    private func acknowledge(_ send: (IntakeAcknowledgement) throws -> Void) {
        guard let acknowledgement else { return }
        do {
            try send(acknowledgement)
        } catch {
            logger.warning("could not queue the acknowledgement: \(error)")
        }
    }

    /// `YYYY-MM-DD` of `date` in the organisation's time zone.
    private func localDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.organisation.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
