package provider

import "promptbench/workspace"

// PromptTokens counts the prompt tokens of msgs for model (the name after
// the provider) offline, as a call would be billed, for estimates made
// before any call (an evaluation's --dry-run).
func PromptTokens(model string, msgs []workspace.Message) int {
	return countMessages(msgs, func(s string) int { return countTokens(model, s) })
}

// Cost is the USD cost of in and out tokens of model at the provider's
// price; false when the price is unknown.
func (p *Provider) Cost(model string, in, out int) (float64, bool) {
	price, ok := p.Price(model)
	if !ok {
		return 0, false
	}
	return cost(price, in, out), true
}
