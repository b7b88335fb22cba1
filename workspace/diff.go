package workspace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// DiffPart is the unified diff of one part of two versions: a message or
// the model config. Unified is empty when the part did not change.
type DiffPart struct {
	Title   string
	Unified string
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

func messageText(m Message) string {
	if m.Role == "" {
		return ""
	}
	return withNewline(m.Content)
}

func diffPart(a, b Version, title, before, after string) DiffPart {
	p := DiffPart{Title: title}
	if before != after {
		from := fmt.Sprintf("%s@%d %s", a.Prompt, a.Number, title)
		to := fmt.Sprintf("%s@%d %s", b.Prompt, b.Number, title)
		p.Unified = udiff.Unified(from, to, before, after)
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
