package main

import (
	"fmt"
	"strings"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// words prints the parts as word diffs, as git diff --word-diff does:
// unchanged lines as they are, and in each run of changed lines the words
// removed as [-…-] and added as {+…+} (red and green on a colour terminal,
// without brackets).
func (v diffView) words(parts []workspace.DiffPart) {
	changed := false
	for _, p := range parts {
		if len(p.Hunks) == 0 {
			continue
		}
		changed = true
		v.header(p)
		for _, h := range p.Hunks {
			v.hunkHeader(h)
			for i := 0; i < len(h.Lines); {
				if h.Lines[i].Kind == workspace.DiffEqual {
					fmt.Fprintln(v.w, v.text(h.Lines[i].Text))
					i++
					continue
				}
				var before, after []string
				unended := false
				for ; i < len(h.Lines) && h.Lines[i].Kind != workspace.DiffEqual; i++ {
					l := h.Lines[i]
					if l.Kind == workspace.DiffDelete {
						before = append(before, l.Text)
					} else {
						after = append(after, l.Text)
					}
					unended = unended || l.NoNewline
				}
				v.wordBlock(workspace.DiffWords(strings.Join(before, "\n"), strings.Join(after, "\n")))
				if unended {
					fmt.Fprintln(v.w, v.paint(v.st.dim, noNewline+" of one side"))
				}
			}
		}
	}
	if !changed {
		fmt.Fprintln(v.w, "no differences")
	}
}

// wordBlock prints one run of changed lines from its word chunks.
func (v diffView) wordBlock(chunks []workspace.WordChunk) {
	var line strings.Builder
	for _, c := range chunks {
		for j, seg := range strings.Split(c.Text, "\n") {
			if j > 0 {
				if c.Kind != workspace.DiffEqual {
					line.WriteString(v.wordChange(c.Kind, newlineMark))
				}
				fmt.Fprintln(v.w, line.String())
				line.Reset()
			}
			if c.Kind == workspace.DiffEqual {
				line.WriteString(v.text(seg))
			} else if seg != "" {
				line.WriteString(v.wordChange(c.Kind, seg))
			}
		}
	}
	fmt.Fprintln(v.w, line.String())
}

// wordChange shows removed or added text with its CRs and tabs visible,
// and the spaces at its ends, which a colour or a bracket hides.
func (v diffView) wordChange(kind workspace.DiffKind, s string) string {
	text := termtext.MarkSpace(s)
	if v.terminal {
		text = v.text(text)
	}
	switch {
	case kind == workspace.DiffDelete && v.color:
		return v.paint(v.st.del.Strikethrough(true), text)
	case kind == workspace.DiffDelete:
		return "[-" + text + "-]"
	case v.color:
		return v.paint(v.st.add.Underline(true), text)
	}
	return "{+" + text + "+}"
}
