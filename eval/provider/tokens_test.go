package provider

import "testing"

// The embedded ranks give OpenAI's own counts (values from tiktoken).
func TestTokenCounts(t *testing.T) {
	for _, tc := range []struct {
		model, text string
		want        int
	}{
		{"gpt-4o", "Hello, world!", 4},
		{"gpt-3.5-turbo", "Hello, world!", 4},
		{"openai/gpt-4o-mini", "tiktoken is great!", 6},
		{"gpt-4", "tiktoken is great!", 6},
	} {
		if got := countTokens(tc.model, tc.text); got != tc.want {
			t.Errorf("countTokens(%s, %q) = %d, want %d", tc.model, tc.text, got, tc.want)
		}
	}
}

func TestEstimateTokens(t *testing.T) {
	for text, want := range map[string]int{"": 0, "a": 1, "abcd": 1, "abcde": 2, "héllo wörld": 3} {
		if got := estimateTokens(text); got != want {
			t.Errorf("estimateTokens(%q) = %d, want %d", text, got, want)
		}
	}
}
