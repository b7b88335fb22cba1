package markdown

import "strings"

// scanState is what the boundary search knows about a text at a line
// start: enough to tell whether the blocks before it can still change.
type scanState struct {
	fenceChar byte // '`' or '~' inside a fenced code block, else 0
	fenceLen  int
	listSeen  bool   // a list item marker appeared: a later indented line may continue it
	hazard    bool   // an HTML block or a link reference definition: never cut after one
	defines   bool   // a link reference definition: it changes text before it too
	lastLine  string // the last non-blank line
	prevBlank bool   // the line before was blank
}

// nextBoundary returns the latest position after from at which text can
// be cut so that rendering text[:p] and text[p:] apart shows the same as
// rendering it whole, with the scan state there; (from, st) when there is
// none. st is the state at from. It reads only the text after from, so
// the cost follows that, not the whole text. defines reports a link
// reference definition after from (a partial line counts): it may give
// meaning to "[text][label]" before from, so nothing there is stable.
//
// The rules are deliberately cautious, after crush's streaming renderer
// (internal/ui/chat/streaming_markdown.go): a cut sits after a blank line,
// outside a fenced code block, before an unindented line that is
// not a setext underline, and not after a line that keeps a block open
// (list item, table row, block quote, indented code, setext underline),
// after an indented line once a list began, or anywhere after an HTML
// block or link reference definition.
func nextBoundary(text string, from int, st scanState) (cut int, at scanState, defines bool) {
	best, bestState := from, st
	for i := from; i < len(text); {
		nl := strings.IndexByte(text[i:], '\n')
		if nl < 0 {
			// A partial line's first character already says whether it
			// may continue a block above, and a definition already is one.
			partial := text[i:]
			if i > from && st.cutBefore(partial) {
				best, bestState = i, st
			}
			defines = st.defines || st.fenceChar == 0 && isLinkDefinition(partial)
			return best, bestState, defines
		}
		line := text[i : i+nl]
		if i > from && st.cutBefore(line) {
			best, bestState = i, st
		}
		st.advance(line)
		i += nl + 1
	}
	return best, bestState, st.defines
}

// cutBefore reports whether the text may be cut right before line.
func (st scanState) cutBefore(line string) bool {
	switch {
	case !st.prevBlank, st.fenceChar != 0, st.hazard, isBlank(line):
		return false
	case line[0] == ' ' || line[0] == '\t':
		return false // may continue a list item, or be code after one
	case isSetextUnderline(line):
		return false
	case st.lastLine != "" && opensBlock(st.lastLine):
		return false
	case st.listSeen && st.lastLine != "" && (st.lastLine[0] == ' ' || st.lastLine[0] == '\t'):
		return false // a loose list item's continuation: the list is open
	}
	return true
}

// advance moves the state past line.
func (st *scanState) advance(line string) {
	blank := isBlank(line)
	st.prevBlank = blank
	if !blank {
		st.lastLine = line
	}
	if st.fenceChar != 0 {
		if closesFence(line, st.fenceChar, st.fenceLen) {
			st.fenceChar, st.fenceLen = 0, 0
		}
		return
	}
	if c, n := opensFence(line); n > 0 {
		st.fenceChar, st.fenceLen = c, n
		return
	}
	trimmed := strings.TrimLeft(line, " \t")
	if isListMarker(trimmed) {
		st.listSeen = true
	}
	if isLinkDefinition(line) {
		st.hazard, st.defines = true, true
	}
	if isHTMLBlockStart(line) {
		st.hazard = true
	}
}

func isBlank(line string) bool { return strings.Trim(line, " \t") == "" }

// indent3 skips the up to three spaces of indentation CommonMark allows
// before a block marker; -1 when the line is indented further.
func indent3(line string) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i > 3 {
		return -1
	}
	return i
}

// opensFence returns the fence character and length of a code fence
// opening line, or 0.
func opensFence(line string) (byte, int) {
	i := indent3(line)
	if i < 0 || i >= len(line) || (line[i] != '`' && line[i] != '~') {
		return 0, 0
	}
	c, n := line[i], 0
	for i+n < len(line) && line[i+n] == c {
		n++
	}
	if n < 3 || (c == '`' && strings.IndexByte(line[i+n:], '`') >= 0) {
		return 0, 0 // a backtick fence's info string holds no backtick
	}
	return c, n
}

// closesFence reports whether line closes a fence of c repeated n times:
// at least as long, nothing after it but spaces.
func closesFence(line string, c byte, n int) bool {
	i := indent3(line)
	if i < 0 {
		return false
	}
	m := 0
	for i+m < len(line) && line[i+m] == c {
		m++
	}
	return m >= n && isBlank(line[i+m:])
}

// opensBlock reports whether a block ending in line may go on past a
// blank line or change with what follows.
func opensBlock(line string) bool {
	if line[0] == '\t' || strings.HasPrefix(line, "    ") {
		return true // indented code
	}
	trimmed := strings.TrimLeft(line, " \t")
	return trimmed[0] == '>' || isListMarker(trimmed) || strings.ContainsRune(line, '|') || isSetextUnderline(line)
}

// isListMarker reports whether a line without its indentation starts a
// list item: "-", "*", "+" or up to nine digits and "." or ")", then a
// space, a tab or the end of the line.
func isListMarker(trimmed string) bool {
	i := 0
	switch {
	case trimmed == "":
		return false
	case trimmed[0] == '-' || trimmed[0] == '*' || trimmed[0] == '+':
		i = 1
	default:
		for i < len(trimmed) && i < 10 && trimmed[i] >= '0' && trimmed[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 || i >= len(trimmed) || (trimmed[i] != '.' && trimmed[i] != ')') {
			return false
		}
		i++
	}
	return i == len(trimmed) || trimmed[i] == ' ' || trimmed[i] == '\t'
}

// isSetextUnderline reports whether line is all '=' or all '-' (spaces
// around allowed): under a paragraph it makes that paragraph a heading.
func isSetextUnderline(line string) bool {
	s := strings.Trim(line, " \t")
	return s != "" && (strings.Trim(s, "=") == "" || strings.Trim(s, "-") == "")
}

// isHTMLBlockStart reports whether line may open an HTML block: '<' then
// a letter, '/', '!' or '?' after at most three spaces. Loose on purpose.
func isHTMLBlockStart(line string) bool {
	i := indent3(line)
	if i < 0 || i+1 >= len(line) || line[i] != '<' {
		return false
	}
	c := line[i+1]
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// isLinkDefinition reports whether line looks like "[label]: target", a
// definition later text may refer to (footnotes too).
func isLinkDefinition(line string) bool {
	i := indent3(line)
	if i < 0 || i >= len(line) || line[i] != '[' {
		return false
	}
	end := strings.Index(line[i:], "]:")
	return end > 1
}
