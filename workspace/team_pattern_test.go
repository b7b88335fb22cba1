package workspace

import "testing"

func TestPromptPattern(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"support/**", "support/reply", true},
		{"support/**", "support/de/reply", true},
		{"support/**", "support", false},
		{"support/**", "supportive/x", false},
		{"support/*", "support/reply", true},
		{"support/*", "support/de/reply", false},
		{"**/draft", "draft", true},
		{"**/draft", "a/b/draft", true},
		{"**/draft", "a/drafts", false},
		{"fun/jok?", "fun/joke", true},
		{"**", "anything/at/all", true},
		{"greet", "greet", true},
		{"greet", "greeting", false},
	}
	for _, tt := range tests {
		p, err := ParsePromptPattern(tt.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tt.pattern, err)
		}
		if got := p.Match(tt.name); got != tt.want {
			t.Errorf("%s matches %s = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{"", "support/", "/x", "a//b", "sup**", "a/**x", "Support/*", "a/[bc]", "a b"} {
		if _, err := ParsePromptPattern(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
