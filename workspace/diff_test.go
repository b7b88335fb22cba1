package workspace

import (
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
	if parts[0].Unified != "" {
		t.Fatalf("unchanged system message has a diff: %q", parts[0].Unified)
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
	for _, p := range Diff(a, a) {
		if p.Unified != "" {
			t.Fatalf("a version differs from itself: %+v", p)
		}
	}
}
