import Glibc

/// glibc functions that Swift's Glibc module does not import (GNU extensions, or declared in
/// headers it leaves out), looked up by name in the running process.
enum GlibcFunction {
    /// The function called `name`, as `type` (a `@convention(c)` function type); nil on a C
    /// library without it.
    static func named<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
