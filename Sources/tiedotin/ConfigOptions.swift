import ArgumentParser
import Foundation
import TiedotinCore

/// `--config PATH`, shared by every subcommand.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The config file (default: $TIEDOTIN_CONFIG, else /etc/tiedotin/tiedotin.yaml).", valueName: "path"))
    var path: String?

    /// The path chosen by the option, the environment or the default.
    var resolvedPath: String {
        path ?? ProcessInfo.processInfo.environment["TIEDOTIN_CONFIG"] ?? "/etc/tiedotin/tiedotin.yaml"
    }

    /// Loads the config or ends the command with exit 1 and every problem on standard error.
    func load() throws -> Configuration {
        do {
            return try ConfigurationLoader.load(path: resolvedPath)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

/// Writes a line for the admin to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
