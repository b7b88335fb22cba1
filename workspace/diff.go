package workspace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// DiffPart is the diff of one part of two versions: a message or the model
// config. Hunks is empty when the part did not change.
type DiffPart struct {
	Title string
	// From and To name the two sides: "p@1 messages[0] (user)".
	From, To string
	// Unified is the part as a unified diff ("--- a", "+++ b", "@@ … @@"
	// and the lines), empty when the part did not change.
	Unified string
	Hunks   []DiffHunk
	// Added and Removed count the inserted and deleted lines.
	Added, Removed int
}

// DiffHunk is a run of changed lines with up to three unchanged lines of
// context around them. From and To are 1-based first line numbers.
type DiffHunk struct {
	From, To int
	Lines    []DiffLine
}

// DiffKind says whether a line (or a word) is unchanged, removed or added.
type DiffKind uint8

const (
	DiffEqual DiffKind = iota
	DiffDelete
	DiffInsert
)

// DiffLine is one line of a hunk. Text is the line without its "\n" (a
// "\r" before it stays, so CRLF differs from LF); NoNewline marks a last
// line without one, shown only when the two sides differ in that.
type DiffLine struct {
	Kind      DiffKind
	Text      string
	NoNewline bool
}

// Diff compares two versions part by part: each message by position, then
// the model config and default scorers. It is pure, for the CLI and the TUI.
func Diff(a, b Version) []DiffPart {
	var parts []DiffPart
	n := max(len(a.Messages), len(b.Messages))
	for i := range n {
		var am, bm Message
		if i < len(a.Messages) {
			am = a.Messages[i]
		}
		if i < len(b.Messages) {
			bm = b.Messages[i]
		}
		role := bm.Role
		if role == "" || role != am.Role && am.Role != "" {
			role = strings.Trim(am.Role+"→"+bm.Role, "→")
		}
		title := fmt.Sprintf("messages[%d] (%s)", i, role)
		parts = append(parts, diffPart(a, b, title, messageText(am), messageText(bm)))
	}
	parts = append(parts, diffPart(a, b, "config", ConfigText(a.Config, a.Scorers), ConfigText(b.Config, b.Scorers)))
	return parts
}

// Changed reports whether any part differs.
func Changed(parts []DiffPart) bool {
	for _, p := range parts {
		if len(p.Hunks) > 0 {
			return true
		}
	}
	return false
}

func messageText(m Message) string {
	if m.Role == "" {
		return ""
	}
	return m.Content
}

func diffPart(a, b Version, title, before, after string) DiffPart {
	p := DiffPart{Title: title,
		From: fmt.Sprintf("%s@%d %s", a.Prompt, a.Number, title),
		To:   fmt.Sprintf("%s@%d %s", b.Prompt, b.Number, title)}
	if before == after {
		return p
	}
	// Text prompts are stored without a final newline and YAML blocks with
	// one: lines compare with their newline only where the two differ in
	// it, so that appending a line to a text prompt shows just that line.
	if before == "" || after == "" || strings.HasSuffix(before, "\n") == strings.HasSuffix(after, "\n") {
		before, after = withNewline(before), withNewline(after)
	}
	u, err := udiff.ToUnifiedDiff(p.From, p.To, before, udiff.Lines(before, after), udiff.DefaultContextLines)
	if err != nil {
		// Cannot happen: the edits come from the same two texts.
		panic(fmt.Sprintf("diff %s: %v", title, err))
	}
	p.Unified = u.String()
	for _, h := range u.Hunks {
		dh := DiffHunk{From: h.FromLine, To: h.ToLine, Lines: make([]DiffLine, len(h.Lines))}
		for i, l := range h.Lines {
			text, nl := strings.CutSuffix(l.Content, "\n")
			dl := DiffLine{Text: text, NoNewline: !nl}
			switch l.Kind {
			case udiff.Delete:
				dl.Kind = DiffDelete
				p.Removed++
			case udiff.Insert:
				dl.Kind = DiffInsert
				p.Added++
			}
			dh.Lines[i] = dl
		}
		p.Hunks = append(p.Hunks, dh)
	}
	return p
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// ConfigText is the model config as readable "key: value" lines, the form
// diffs and `show` print.
func ConfigText(c ModelConfig, scorers []string) string {
	var sb strings.Builder
	line := func(k, v string) { fmt.Fprintf(&sb, "%s: %s\n", k, v) }
	if c.Model != "" {
		line("model", c.Model)
	}
	if c.Temperature != nil {
		line("temperature", strconv.FormatFloat(*c.Temperature, 'g', -1, 64))
	}
	if c.TopP != nil {
		line("top_p", strconv.FormatFloat(*c.TopP, 'g', -1, 64))
	}
	if c.MaxTokens > 0 {
		line("max_tokens", strconv.Itoa(c.MaxTokens))
	}
	if len(c.Stop) > 0 {
		line("stop", strconv.Quote(strings.Join(c.Stop, `", "`)))
	}
	if c.Seed != nil {
		line("seed", strconv.FormatInt(*c.Seed, 10))
	}
	if rf := c.ResponseFormat; rf != nil {
		line("response_format", rf.Type)
		if rf.Name != "" {
			line("response_format.name", rf.Name)
		}
		if len(rf.Schema) > 0 {
			line("response_format.schema", string(CanonicalJSON(rf.Schema)))
		}
	}
	for _, s := range scorers {
		line("scorer", s)
	}
	return sb.String()
}
