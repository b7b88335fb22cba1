package served

import (
	"testing"
)

// A reasoning model behind a vendor prefix (OpenRouter's "openai/o3")
// gets the reasoning parameters, as the workbench's providers send them.
func TestChatRequestOfAReasoningModelBehindAVendorPrefix(t *testing.T) {
	temp := 0.0
	cfg := ModelConfig{MaxTokens: 300, Temperature: &temp}
	for model, reasoning := range map[string]bool{"openai/o3": true, "o4-mini": true, "gpt-5-chat-latest": false, "gpt-4o-mini": false} {
		c := ChatRequest(model, []Message{{Role: "user", Content: "hi"}}, cfg)
		if reasoning && (c.MaxCompletionTokens != 300 || c.MaxTokens != 0 || c.Temperature != 0) {
			t.Errorf("%s: max_completion_tokens %d, max_tokens %d, temperature %v; want 300, 0, none", model, c.MaxCompletionTokens, c.MaxTokens, c.Temperature)
		}
		if !reasoning && (c.MaxTokens != 300 || c.Temperature == 0) {
			t.Errorf("%s: max_tokens %d, temperature %v; want 300 and an explicit 0", model, c.MaxTokens, c.Temperature)
		}
	}
}
