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
// (reasoning models — o1, o3, o4, gpt-5 — get max_completion_tokens and
// no temperature or top_p). Set Stream and the like on the result.
func (r Rendered) ChatCompletionRequest() openai.ChatCompletionRequest {
	model := r.Model()
	c := openai.ChatCompletionRequest{Model: model, Messages: make([]openai.ChatCompletionMessage, len(r.Messages))}
	for i, m := range r.Messages {
		c.Messages[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	prm := r.Config
	if isReasoning(model) {
		c.MaxCompletionTokens = prm.MaxTokens
	} else {
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

func isReasoning(model string) bool {
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
