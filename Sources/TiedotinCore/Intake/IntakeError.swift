/// Why intake could not do its work (not a problem with an item: those are rejections).
/// Written for the admin reading `journalctl`.
public enum IntakeError: Error, CustomStringConvertible {
    case folder(String, reason: String)
    case file(String, reason: String)
    case move(String, to: String, reason: String)
    case lock(String, reason: String)

    public var description: String {
        switch self {
        case .folder(let path, let reason):
            "cannot use the drop folder \(path): \(reason). Check paths.drop_folder and that the service user may write there."
        case .file(let name, let reason):
            "cannot handle the drop-folder file \(name): \(reason); it stays where it is and is tried again."
        case .move(let name, let target, let reason):
            "cannot move \(name) to \(target): \(reason). incoming/, accepted/ and rejected/ must be on one file system and writable by the service user."
        case .lock(let path, let reason):
            "cannot lock \(path): \(reason). Check that the database's folder is writable."
        }
    }
}
