package workspace

import (
	"reflect"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	temp := 0.2
	a := Version{Prompt: "p", Number: 1, Messages: []Message{{Role: RoleSystem, Content: "Be brief."}, {Role: RoleUser, Content: "Hi {{name}}"}}}
	b := Version{Prompt: "p", Number: 2, Messages: []Message{{Role: RoleSystem, Content: "Be brief."}, {Role: RoleUser, Content: "Hello {{name}}"}, {Role: RoleAssistant, Content: "Sure."}},
		Config: ModelConfig{Model: "openai/gpt-4o", Temperature: &temp}}
	parts := Diff(a, b)
	if len(parts) != 4 {
		t.Fatalf("parts = %d, want 3 messages + config", len(parts))
	}
	if parts[0].Unified != "" || parts[0].Hunks != nil {
		t.Fatalf("unchanged system message has a diff: %+v", parts[0])
	}
	for _, want := range []string{"-Hi {{name}}", "+Hello {{name}}", "--- p@1 messages[1] (user)", "+++ p@2 messages[1] (user)"} {
		if !strings.Contains(parts[1].Unified, want) {
			t.Errorf("user diff lacks %q:\n%s", want, parts[1].Unified)
		}
	}
	if !strings.Contains(parts[2].Unified, "+Sure.") || parts[2].Title != "messages[2] (assistant)" {
		t.Errorf("added message: %+v", parts[2])
	}
	if !strings.Contains(parts[3].Unified, "+model: openai/gpt-4o") || !strings.Contains(parts[3].Unified, "+temperature: 0.2") {
		t.Errorf("config diff:\n%s", parts[3].Unified)
	}
	if !Changed(parts) {
		t.Error("Changed = false")
	}
	for _, p := range Diff(a, a) {
		if p.Unified != "" {
			t.Fatalf("a version differs from itself: %+v", p)
		}
	}
	if Changed(Diff(a, a)) {
		t.Error("a version differs from itself")
	}
}

func TestDiffLines(t *testing.T) {
	eq := func(s string) DiffLine { return DiffLine{Kind: DiffEqual, Text: s} }
	del := func(s string) DiffLine { return DiffLine{Kind: DiffDelete, Text: s} }
	ins := func(s string) DiffLine { return DiffLine{Kind: DiffInsert, Text: s} }
	tests := []struct {
		name           string
		before, after  string
		want           []DiffHunk
		added, removed int
	}{
		{"same", "a\nb", "a\nb", nil, 0, 0},
		{"a line appended to a text prompt", "a\nb", "a\nb\nc", []DiffHunk{{From: 1, To: 1, Lines: []DiffLine{eq("a"), eq("b"), ins("c")}}}, 1, 0},
		{"crlf against lf", "a\r\nb\r\n", "a\nb\n", []DiffHunk{{From: 1, To: 1, Lines: []DiffLine{del("a\r"), del("b\r"), ins("a"), ins("b")}}}, 2, 2},
		{"tab against spaces", "\tx", "    x", []DiffHunk{{From: 1, To: 1, Lines: []DiffLine{del("\tx"), ins("    x")}}}, 1, 1},
		{"only the final newline", "a\nb", "a\nb\n", []DiffHunk{{From: 1, To: 1, Lines: []DiffLine{eq("a"), {Kind: DiffDelete, Text: "b", NoNewline: true}, ins("b")}}}, 1, 1},
		{"a message added", "", "x\ny", []DiffHunk{{From: 1, To: 1, Lines: []DiffLine{ins("x"), ins("y")}}}, 2, 0},
		{
			"two hunks with context",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12",
			"1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12",
			[]DiffHunk{
				{From: 1, To: 1, Lines: []DiffLine{eq("1"), del("2"), ins("TWO"), eq("3"), eq("4"), eq("5")}},
				{From: 8, To: 8, Lines: []DiffLine{eq("8"), eq("9"), eq("10"), del("11"), ins("ELEVEN"), eq("12")}},
			}, 2, 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Version{Prompt: "p", Number: 1, Messages: []Message{{Role: RoleUser, Content: tt.before}}}
			b := Version{Prompt: "p", Number: 2, Messages: []Message{{Role: RoleUser, Content: tt.after}}}
			if tt.before == "" {
				a.Messages = nil
			}
			p := Diff(a, b)[0]
			if !reflect.DeepEqual(p.Hunks, tt.want) {
				t.Fatalf("hunks\n got %+v\nwant %+v", p.Hunks, tt.want)
			}
			if p.Added != tt.added || p.Removed != tt.removed {
				t.Fatalf("added %d removed %d, want %d and %d", p.Added, p.Removed, tt.added, tt.removed)
			}
			if (p.Unified == "") != (tt.want == nil) {
				t.Fatalf("Unified = %q", p.Unified)
			}
		})
	}
}

func TestDiffWords(t *testing.T) {
	eq := func(s string) WordChunk { return WordChunk{DiffEqual, s} }
	del := func(s string) WordChunk { return WordChunk{DiffDelete, s} }
	ins := func(s string) WordChunk { return WordChunk{DiffInsert, s} }
	tests := []struct {
		name, before, after string
		want                []WordChunk
	}{
		{"same", "a b", "a b", []WordChunk{eq("a b")}},
		{"one word", "Tell me a joke", "Tell me a story", []WordChunk{eq("Tell me a "), del("joke"), ins("story")}},
		{"a variable's name", "Hi {{name}}!", "Hi {{user.name}}!", []WordChunk{eq("Hi {{"), ins("user."), eq("name}}!")}},
		{"words added", "a c", "a b c", []WordChunk{eq("a"), ins(" b"), eq(" c")}},
		{"tab against spaces", "a\tb", "a  b", []WordChunk{eq("a"), del("\t"), ins("  "), eq("b")}},
		{"cr before newline", "a\r\nb", "a\nb", []WordChunk{eq("a"), del("\r"), eq("\nb")}},
		{"across lines", "x\nold\ny", "x\nnew\ny", []WordChunk{eq("x\n"), del("old"), ins("new"), eq("\ny")}},
		{"unicode words", "héllo wörld", "héllo welt", []WordChunk{eq("héllo "), del("wörld"), ins("welt")}},
		{"empty before", "", "new", []WordChunk{ins("new")}},
		{"invalid utf-8 kept", "a\xffb", "a\xfeb", []WordChunk{eq("a"), del("\xff"), ins("\xfe"), eq("b")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffWords(tt.before, tt.after)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("DiffWords(%q, %q)\n got %q\nwant %q", tt.before, tt.after, got, tt.want)
			}
			var before, after strings.Builder
			for _, c := range got {
				if c.Kind != DiffInsert {
					before.WriteString(c.Text)
				}
				if c.Kind != DiffDelete {
					after.WriteString(c.Text)
				}
			}
			if before.String() != tt.before || after.String() != tt.after {
				t.Fatalf("chunks do not join back: %q, %q", before.String(), after.String())
			}
		})
	}
}

func FuzzDiffWords(f *testing.F) {
	f.Add("Tell me a joke", "Tell a short joke")
	f.Add("a\r\n\tb", "a\n    b")
	f.Fuzz(func(t *testing.T, before, after string) {
		var b, a strings.Builder
		for _, c := range DiffWords(before, after) {
			if c.Kind != DiffInsert {
				b.WriteString(c.Text)
			}
			if c.Kind != DiffDelete {
				a.WriteString(c.Text)
			}
		}
		if b.String() != before || a.String() != after {
			t.Fatalf("chunks do not join back to %q and %q", before, after)
		}
	})
}

// TestWordSides: each column of a side-by-side word diff reads as its own
// output, with the other side's words left out.
func TestWordSides(t *testing.T) {
	before, after := WordSides(DiffWords("The cat sat on the mat.", "The dog sat on a mat."))
	join := func(cs []WordChunk) string {
		var b strings.Builder
		for _, c := range cs {
			if c.Kind == DiffEqual {
				b.WriteString(c.Text)
			} else {
				b.WriteString("[" + c.Text + "]")
			}
		}
		return b.String()
	}
	if got := join(before); got != "The [cat] sat on [the] mat." {
		t.Errorf("before side %q", got)
	}
	if got := join(after); got != "The [dog] sat on [a] mat." {
		t.Errorf("after side %q", got)
	}
}
