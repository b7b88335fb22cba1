package provider

import (
	"context"
	"strings"
	"time"
)

// echo answers offline with the rendered prompt: the messages' contents
// joined by blank lines, streamed word by word when asked, cut to
// max_tokens (finish reason "length") when set. Tokens are estimates
// (tiktoken counts when max_tokens makes the tokenizer necessary anyway),
// the cost is zero: deterministic output for demos and tests, and fast.
func (p *Provider) echo(ctx context.Context, model string, req Request, onDelta func(string)) Result {
	start := time.Now()
	res := Result{Provider: p.name, Model: model, Attempts: 1, FinishReason: "stop", TokensEstimated: true}
	parts := make([]string, len(req.Messages))
	for i, m := range req.Messages {
		parts[i] = m.Content
	}
	out := strings.Join(parts, "\n\n")
	count := estimateTokens
	if n := req.Params.MaxTokens; n > 0 {
		if tk := encoder(model); tk != nil {
			count = func(s string) int { return countTokens(model, s) }
			if ids := tk.EncodeOrdinary(out); len(ids) > n {
				out, res.FinishReason = tk.Decode(ids[:n]), "length"
			}
		}
	}
	if err := ctx.Err(); err != nil {
		res.Err = &Error{Provider: p.name, Model: model, Message: "cancelled", Attempts: 1, cause: err}
		return res
	}
	if req.Stream {
		for i, w := range words(out) {
			if i == 0 {
				res.TTFT = time.Since(start)
			}
			onDelta(w)
		}
	}
	res.Output = out
	res.InputTokens = countMessages(req.Messages, count)
	res.OutputTokens = count(out)
	res.Latency = time.Since(start)
	if res.TTFT == 0 {
		res.TTFT = res.Latency
	}
	price, _ := p.Price(model)
	res.Cost = cost(price, res.InputTokens, res.OutputTokens)
	return res
}

// words splits s into pieces that concatenate back to s, each a word with
// the white space before it.
func words(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if (s[i] == ' ' || s[i] == '\n') && s[i-1] != ' ' && s[i-1] != '\n' {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
