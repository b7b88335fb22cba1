// Package provider calls chat models over OpenAI-compatible HTTP APIs
// (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, OpenRouter, …) and the
// offline echo provider, with retries, per-provider limits, offline token
// counts and costs.
package provider

import (
	"time"

	"promptbench/workspace"
)

// Request is one chat completion call: rendered messages and the model
// config, whose Model is written "provider/model".
type Request struct {
	Messages []workspace.Message
	Params   workspace.ModelConfig
	Stream   bool // deliver token deltas as they arrive (SSE)
}

// Result is the outcome of one call. A failed call has Err set and keeps
// what it got: a stream cut mid-way leaves its partial Output, with
// estimated tokens and cost, because that text was paid for.
type Result struct {
	Provider     string `json:"provider"`
	Model        string `json:"model"` // without the provider prefix
	Output       string `json:"output"`
	FinishReason string `json:"finish_reason,omitempty"` // stop, length, content_filter, …
	InputTokens  int    `json:"input_tokens"`
	OutputTokens int    `json:"output_tokens"`
	// TokensEstimated is set when the server sent no usage and the counts
	// come from tiktoken.
	TokensEstimated bool `json:"tokens_estimated,omitempty"`
	// TTFT and Latency are measured from the start of the final attempt's
	// request, so queueing and retries do not count against the model. A
	// call without streaming gets its first token with the whole answer.
	TTFT    time.Duration `json:"ttft"`
	Latency time.Duration `json:"latency"`
	Cost    float64       `json:"cost"` // USD
	// Unpriced is set when no price is known for the model, so Cost is 0
	// for want of a price rather than because the call was free.
	Unpriced bool  `json:"unpriced,omitempty"`
	Cached   bool  `json:"cached,omitempty"` // set by callers serving it from a cache
	Attempts int   `json:"attempts"`
	Err      error `json:"-"`
}
