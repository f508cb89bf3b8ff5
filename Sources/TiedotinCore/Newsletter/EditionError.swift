/// Why an edition command could not do what was asked; written for the admin.
public enum EditionError: Error, CustomStringConvertible {
    /// Another process changed the edition first (it fixed, sent or held it); the step is skipped.
    case changedMeanwhile
    /// No edition is open and the schedule has no next send time.
    case noNextEdition
    /// `approve` before the preview was mailed: there is nothing fixed to approve yet.
    case nothingToApprove(previewAt: String)
    /// `release` of an edition nobody held.
    case notHeld
    /// `send-now` with no accepted item waiting.
    case nothingToSend
    /// The archive page could not be written.
    case archive(path: String, reason: String)

    public var description: String {
        switch self {
        case .changedMeanwhile:
            "another tiedotin process changed the edition at the same moment; run the command again"
        case .noNextEdition:
            "newsletter.schedule has no next send time; check the schedule in the config"
        case .nothingToApprove(let previewAt):
            "there is nothing to approve yet: the next edition is fixed when its preview is mailed (\(previewAt)); approve after reading the preview"
        case .notHeld:
            "the next edition is not held; nothing to release"
        case .nothingToSend:
            "no accepted item is waiting for an edition; put items into the drop folder (or run `tiedotin intake`) first"
        case .archive(let path, let reason):
            "\(path): cannot write the archive page (\(reason)); check paths.archive in the config and that the service user may write there"
        }
    }
}
