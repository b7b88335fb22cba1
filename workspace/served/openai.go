package served

import (
	"math"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// The go-openai request lives in this one file: go-openai has no
// dependencies of its own, the workbench already uses it, and most
// applications calling an OpenAI-compatible server from Go use it too, so
// a one-line call is worth the import. Applications on another client
// read Rendered.Messages, Model() and Config instead.

// ChatCompletionRequest is r as go-openai's request, for any
// OpenAI-compatible server: the model without its provider prefix,
// the messages, and the version's parameters as the workbench sends them
// (see ChatRequest). Set Stream and the like on the result.
func (r Rendered) ChatCompletionRequest() openai.ChatCompletionRequest {
	return ChatRequest(r.Model(), r.Messages, r.Config)
}

// ChatRequest is the request the workbench sends for messages under the
// parameters prm: the workbench's providers build theirs with it too, so
// an application sends exactly what was evaluated. Reasoning models (o1,
// o3, o4, gpt-5) get max_completion_tokens and no temperature or top_p;
// an explicit 0 is kept. A response format of an unknown type is left
// out (commit refuses one).
func ChatRequest(model string, msgs []Message, prm ModelConfig) openai.ChatCompletionRequest {
	c := openai.ChatCompletionRequest{Model: model, Messages: make([]openai.ChatCompletionMessage, len(msgs))}
	for i, m := range msgs {
		c.Messages[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	if IsReasoning(model) {
		c.MaxCompletionTokens = prm.MaxTokens
	} else {
		// max_tokens, not max_completion_tokens: compatible servers
		// (older vLLM, Ollama, LM Studio) know only the former.
		c.MaxTokens = prm.MaxTokens
		if prm.Temperature != nil {
			c.Temperature = explicit(*prm.Temperature)
		}
		if prm.TopP != nil {
			c.TopP = explicit(*prm.TopP)
		}
	}
	c.Stop = prm.Stop
	if prm.Seed != nil {
		seed := int(*prm.Seed)
		c.Seed = &seed
	}
	if rf := prm.ResponseFormat; rf != nil {
		switch rf.Type {
		case "json_object":
			c.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
		case "json_schema":
			name := rf.Name
			if name == "" {
				name = "response"
			}
			c.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: name, Schema: rf.Schema, Strict: rf.Strict},
			}
		}
	}
	return c
}

// explicit keeps an explicit 0, which go-openai's omitempty would drop
// (the server would then use its default of 1).
func explicit(f float64) float32 {
	if f == 0 {
		return math.SmallestNonzeroFloat32
	}
	return float32(f)
}

// IsReasoning reports whether model belongs to the o1/o3/o4/gpt-5
// families, which take max_completion_tokens and refuse temperature and
// top_p. A vendor prefix ("openai/o3" on OpenRouter) is ignored.
func IsReasoning(model string) bool {
	if i := strings.LastIndex(model, "/"); i >= 0 {
		model = model[i+1:]
	}
	if strings.HasPrefix(model, "gpt-5") {
		return !strings.Contains(model, "-chat")
	}
	for _, f := range []string{"o1", "o3", "o4"} {
		if model == f || strings.HasPrefix(model, f+"-") {
			return true
		}
	}
	return false
}
