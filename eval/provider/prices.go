package provider

import (
	"regexp"
	"sync"

	"promptbench/workspace"
)

// Price returns the price of model: the provider's configured one, else
// for openai and azure providers the default for OpenAI's model of that
// name (dated snapshots such as gpt-4o-2024-08-06 priced as their model).
func (p *Provider) Price(model string) (workspace.Price, bool) {
	if pr, ok := p.prices[model]; ok {
		return pr, true
	}
	if p.kind == KindEcho {
		return workspace.Price{}, true
	}
	if p.kind == KindOpenAI && p.baseURL != DefaultOpenAIBaseURL && p.name != "openai" {
		// Another server's "gpt-4o" may be anything; only its own prices apply.
		return workspace.Price{}, false
	}
	if pr, ok := DefaultPrice(model); ok {
		return pr, true
	}
	if base := snapshot().ReplaceAllString(model, ""); base != model {
		return DefaultPrice(base)
	}
	return workspace.Price{}, false
}

// snapshot matches the date suffix of pinned model versions; compiled
// when first used, not at start-up.
var snapshot = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-(\d{4}-\d{2}-\d{2}|\d{4})$`) })

// DefaultPrice is OpenAI's list price for its standard tier, USD per
// million tokens (cached-input discounts are not modelled).
func DefaultPrice(model string) (workspace.Price, bool) {
	in, out := 0.0, 0.0
	switch model {
	case "gpt-5", "gpt-5.1", "gpt-5-chat-latest", "gpt-5-codex":
		in, out = 1.25, 10
	case "gpt-5-mini":
		in, out = 0.25, 2
	case "gpt-5-nano":
		in, out = 0.05, 0.40
	case "gpt-4.1":
		in, out = 2, 8
	case "gpt-4.1-mini":
		in, out = 0.40, 1.60
	case "gpt-4.1-nano":
		in, out = 0.10, 0.40
	case "gpt-4o", "chatgpt-4o-latest":
		in, out = 2.50, 10
	case "gpt-4o-mini":
		in, out = 0.15, 0.60
	case "o1":
		in, out = 15, 60
	case "o1-pro":
		in, out = 150, 600
	case "o1-mini", "o3-mini", "o4-mini":
		in, out = 1.10, 4.40
	case "o3":
		in, out = 2, 8
	case "o3-pro":
		in, out = 20, 80
	case "gpt-4-turbo":
		in, out = 10, 30
	case "gpt-4":
		in, out = 30, 60
	case "gpt-3.5-turbo":
		in, out = 0.50, 1.50
	default:
		return workspace.Price{}, false
	}
	return workspace.Price{Input: in, Output: out}, true
}

// cost is the USD cost of a call at price.
func cost(p workspace.Price, in, out int) float64 {
	return (float64(in)*p.Input + float64(out)*p.Output) / 1e6
}
