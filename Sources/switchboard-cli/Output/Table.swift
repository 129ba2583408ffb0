/// A table of aligned columns: fitted to a width (long cells cut with "…", low-priority columns
/// dropped when even that is not enough), decorated (bold header, styled cells) only when asked.
struct Table {
  struct Column {
    let header: String
    /// Can be cut to fit (names, ids); others keep their full width.
    var shrinkable = false
    /// Dropped first (highest value first) when the table cannot fit.
    var dropPriority = 0
    /// The smallest width a shrinkable column is cut to.
    var minWidth = 6
  }

  /// One cell: its plain text (which sets the width) and the style applied after padding.
  struct Cell {
    let text: String
    let style: (String) -> String
    init(_ text: String, style: @escaping (String) -> String = { $0 }) {
      self.text = text
      self.style = style
    }
  }

  var columns: [Column]
  var rows: [[Cell]] = []

  /// The table as lines (no trailing spaces). `width` nil: never cut.
  func render(width: Int?, styled: Bool) -> String {
    var visible = Array(columns.indices)
    var widths = columns.indices.map { i in rows.reduce(columns[i].header.count) { max($0, $1[i].text.count) } }
    let gap = 2
    func total() -> Int { visible.reduce(0) { $0 + widths[$1] } + gap * max(0, visible.count - 1) }
    if let width {
      // Drop columns by priority until the rest fit with shrinkable columns at their smallest,
      // then cut the widest shrinkable columns just enough.
      func smallest(_ i: Int) -> Int {
        columns[i].shrinkable ? min(widths[i], max(columns[i].minWidth, columns[i].header.count)) : widths[i]
      }
      while visible.reduce(0, { $0 + smallest($1) }) + gap * max(0, visible.count - 1) > width,
        let drop = visible.filter({ columns[$0].dropPriority > 0 }).max(by: {
          columns[$0].dropPriority < columns[$1].dropPriority
        })
      {
        visible.removeAll { $0 == drop }
      }
      while total() > width {
        let candidates = visible.filter { columns[$0].shrinkable && widths[$0] > smallest($0) }
        guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
        widths[widest] -= 1
      }
    }
    var lines: [String] = []
    let header = visible.enumerated().map { position, i in
      let text = pad(columns[i].header, widths[i], last: position == visible.count - 1)
      return styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
    lines.append(header.joined(separator: String(repeating: " ", count: gap)))
    for row in rows {
      let cells = visible.enumerated().map { position, i in
        let cell = row[i]
        let text = pad(cut(cell.text, widths[i]), widths[i], last: position == visible.count - 1)
        return styled ? cell.style(text) : text
      }
      lines.append(cells.joined(separator: String(repeating: " ", count: gap)))
    }
    return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
  }

  private func cut(_ text: String, _ width: Int) -> String {
    text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
  }

  private func pad(_ text: String, _ width: Int, last: Bool) -> String {
    last ? text : text + String(repeating: " ", count: max(0, width - text.count))
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = Substring(self)
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
