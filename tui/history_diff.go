package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// diffStyles colour a diff. They are derived from the theme once (at
// start and on a theme change), never while drawing.
type diffStyles struct {
	title   lipgloss.Style // a part's name: "messages[0] (user)"
	hunk    lipgloss.Style // "@@ -1,3 +1,4 @@"
	equal   lipgloss.Style
	add     lipgloss.Style
	del     lipgloss.Style
	addWord lipgloss.Style
	delWord lipgloss.Style
	mark    lipgloss.Style // white space made visible
}

func newDiffStyles(st themes.Styles) diffStyles {
	return diffStyles{
		title:   st.Base.Heading,
		hunk:    st.Base.Accent,
		equal:   st.Base.Muted,
		add:     st.Base.OK,
		del:     st.Base.Error,
		addWord: st.Base.OK.Bold(true).Underline(true),
		delWord: st.Base.Error.Strikethrough(true),
		mark:    st.Base.Warn.Reverse(true),
	}
}

// Markers that make white space visible on changed lines, as `promptbench
// diff` shows them: a change from CRLF to LF or from a tab to spaces would
// otherwise look like nothing.
const newlineMark = "↵" // CR, tab and space marks are termtext's

// renderDiff draws the changed parts of a diff as rows at most width
// cells wide: each part's title with its counts, hunk headers, and the
// lines (or, in word mode, runs of changed lines word by word, removed
// words as [-…-] and added ones as {+…+} so they show without colour).
// Stored text is sanitised here; it is pure, for table tests.
func renderDiff(parts []workspace.DiffPart, words bool, st diffStyles, width int) []string {
	width = max(width, 10)
	var rows []string
	add := func(s string) {
		rows = append(rows, strings.Split(ansi.Hardwrap(s, width, true), "\n")...)
	}
	for _, p := range parts {
		if len(p.Hunks) == 0 {
			continue
		}
		if len(rows) > 0 {
			rows = append(rows, "")
		}
		add(st.title.Render(termtext.Sanitize(p.Title)) + " " + st.add.Render(fmt.Sprintf("+%d", p.Added)) + " " + st.del.Render(fmt.Sprintf("-%d", p.Removed)))
		for _, h := range p.Hunks {
			add(st.hunk.Render(hunkHeader(h)))
			if words {
				for _, r := range wordRows(h.Lines, st) {
					add(r)
				}
				continue
			}
			for _, l := range h.Lines {
				switch l.Kind {
				case workspace.DiffEqual:
					add(st.equal.Render(" " + termtext.Sanitize(strings.TrimSuffix(l.Text, "\r"))))
				case workspace.DiffDelete:
					add(changedLine("-", l.Text, st.del, st.mark))
				case workspace.DiffInsert:
					add(changedLine("+", l.Text, st.add, st.mark))
				}
				if l.NoNewline {
					add(st.equal.Render(`\ No newline at end`))
				}
			}
		}
	}
	if len(rows) == 0 {
		rows = append(rows, st.equal.Render("No differences in messages or model config."))
	}
	return rows
}

// hunkHeader is "@@ -from,n +to,m @@" as diff -u writes it.
func hunkHeader(h workspace.DiffHunk) string {
	from, to := 0, 0
	for _, l := range h.Lines {
		if l.Kind != workspace.DiffInsert {
			from++
		}
		if l.Kind != workspace.DiffDelete {
			to++
		}
	}
	return fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.From, from), hunkRange(h.To, to))
}

func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// changedLine is a removed or added line with every CR and tab and the
// spaces at its end made visible.
func changedLine(prefix, text string, style, mark lipgloss.Style) string {
	var b strings.Builder
	b.WriteString(style.Render(prefix))
	for _, r := range termtext.VisibleSpace(text, termtext.Sanitize) {
		if r.Mark {
			b.WriteString(mark.Render(r.Text))
		} else {
			b.WriteString(style.Render(r.Text))
		}
	}
	return b.String()
}

// wordRows draws a hunk word by word: unchanged lines as they are, and
// each run of changed lines as one word diff.
func wordRows(lines []workspace.DiffLine, st diffStyles) []string {
	var rows []string
	for i := 0; i < len(lines); {
		if lines[i].Kind == workspace.DiffEqual {
			rows = append(rows, st.equal.Render(termtext.Sanitize(strings.TrimSuffix(lines[i].Text, "\r"))))
			i++
			continue
		}
		var before, after []string
		for ; i < len(lines) && lines[i].Kind != workspace.DiffEqual; i++ {
			if lines[i].Kind == workspace.DiffDelete {
				before = append(before, lines[i].Text)
			} else {
				after = append(after, lines[i].Text)
			}
		}
		rows = append(rows, wordBlock(workspace.DiffWords(strings.Join(before, "\n"), strings.Join(after, "\n")), st)...)
	}
	return rows
}

// wordBlock turns the chunks of one word diff into rows; a removed or
// added line break ends its bracket with ↵.
func wordBlock(chunks []workspace.WordChunk, st diffStyles) []string {
	var rows []string
	var line strings.Builder
	for _, c := range chunks {
		segs := strings.Split(c.Text, "\n")
		for j, seg := range segs {
			last := j == len(segs)-1
			switch {
			case c.Kind == workspace.DiffEqual:
				line.WriteString(termtext.Sanitize(seg))
			case !last:
				line.WriteString(wordChange(c.Kind, seg, newlineMark, st))
			case seg != "":
				line.WriteString(wordChange(c.Kind, seg, "", st))
			}
			if !last {
				rows = append(rows, line.String())
				line.Reset()
			}
		}
	}
	return append(rows, line.String())
}

// wordChange shows removed or added words with their CRs and tabs and the
// spaces at their ends visible.
func wordChange(kind workspace.DiffKind, s, end string, st diffStyles) string {
	text := termtext.Sanitize(termtext.MarkSpace(s)) + end
	if kind == workspace.DiffDelete {
		return st.delWord.Render("[-" + text + "-]")
	}
	return st.addWord.Render("{+" + text + "+}")
}
