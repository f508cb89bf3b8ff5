import CSV
import Foundation

/// Writes member listings as text: CSV that `members import` reads back, and a table for people.
public enum MemberExport {
    /// `email,name,organisation,networks` with networks separated by `;`, one member per line (LF),
    /// fields quoted where RFC 4180 needs it. Importing the result gives the same lists.
    public static func csv(_ members: [MemberListing]) -> String {
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: MemberFile.columns)
            for member in members {
                try writer.write(row: [
                    member.email, member.name ?? "", member.organisation ?? "", member.networks.joined(separator: ";"),
                ])
            }
            writer.stream.close()
        } catch {
            // Writing to memory does not fail; should it ever, an empty export is caught by the round trip.
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The listings as one JSON array (the contract of `members list --format json`), one member per line
    /// with the keys in the contract's order, ending in a line break.
    public static func json(_ members: [MemberListing]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // JSONEncoder on Linux writes keys in no fixed order; each value is encoded alone and the
        // objects are put together here so that the output is the same every time.
        func value(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let objects = try members.map { member in
            let fields = [
                ("email", try value(member.email)),
                ("name", try value(member.name)),
                ("organisation", try value(member.organisation)),
                ("networks", try value(member.networks)),
                ("unsubscribed", try value(member.unsubscribed)),
                ("invitations_off", try value(member.invitationsOff)),
                ("undeliverable", try value(member.undeliverable)),
            ]
            return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        guard !objects.isEmpty else { return "[]\n" }
        return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
    }

    /// Aligned columns EMAIL, NAME, ORGANISATION, NETWORKS, STATE, padded by how wide the text shows
    /// in a terminal (an `ä` is one column whether composed or not, a CJK character two).
    public static func table(_ members: [MemberListing]) -> String {
        let header = ["EMAIL", "NAME", "ORGANISATION", "NETWORKS", "STATE"]
        let rows = members.map { member in
            [member.email, member.name ?? "", member.organisation ?? "", member.networks.joined(separator: ","), state(of: member)]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0
        }
        return ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - displayWidth(cell))
            }.joined(separator: "  ").trimmingTrailingSpaces
        }.joined(separator: "\n") + "\n"
    }

    /// What stops mail to a member, in a few words.
    static func state(of member: MemberListing) -> String {
        var parts: [String] = []
        if member.invitationsOff {
            parts.append("unsubscribed from all")
        } else if member.unsubscribed {
            parts.append("unsubscribed")
        }
        if let answer = member.undeliverable {
            parts.append("undeliverable: \(answer.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))")
        }
        return parts.joined(separator: "; ")
    }

    /// Terminal columns `text` takes: one per character, two for East Asian wide ones, none for
    /// control characters.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { width, character in
            guard let scalar = character.unicodeScalars.first else { return width }
            if scalar.properties.generalCategory == .control { return width }
            return width + (isWide(scalar) ? 2 : 1)
        }
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
