package provider

import (
	"maps"
	"slices"

	"promptbench/workspace"
)

// Info describes a provider for a listing: where it is, which variable
// holds its key (never the key) and the models it has prices for.
type Info struct {
	Name    string      `json:"name"`
	Kind    string      `json:"kind"`
	BaseURL string      `json:"base_url,omitempty"`
	KeyEnv  string      `json:"api_key_env,omitempty"`
	KeySet  bool        `json:"api_key_set"`
	Builtin bool        `json:"builtin,omitempty"`
	Models  []ModelInfo `json:"models"`
}

// ModelInfo is one model and its price in USD per million tokens.
// ListPrice marks OpenAI's list price rather than one from config.yaml.
type ModelInfo struct {
	Name      string          `json:"name"`
	Price     workspace.Price `json:"price"`
	ListPrice bool            `json:"list_price,omitempty"`
}

// listPriced are the models DefaultPrice knows, for listings.
var listPriced = []string{
	"gpt-5", "gpt-5.1", "gpt-5-chat-latest", "gpt-5-codex", "gpt-5-mini", "gpt-5-nano",
	"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "chatgpt-4o-latest", "gpt-4o-mini",
	"o1", "o1-pro", "o1-mini", "o3-mini", "o4-mini", "o3", "o3-pro",
	"gpt-4-turbo", "gpt-4", "gpt-3.5-turbo",
}

// Catalog lists every provider, by name, with its priced models: those
// priced in config.yaml, and for OpenAI itself (and Azure) OpenAI's list
// prices too. Echo's one model is free.
func (r *Registry) Catalog() []Info {
	builtin := map[string]bool{}
	for _, b := range Builtins(nil) {
		builtin[b.Name] = true
	}
	out := make([]Info, 0, len(r.providers))
	for _, name := range r.Names() {
		p := r.providers[name]
		info := Info{Name: p.name, Kind: p.kind, BaseURL: redactURL(p.baseURL), KeyEnv: p.keyEnv, Builtin: builtin[p.name]}
		info.KeySet = p.keyEnv != "" && p.env.getenv(p.keyEnv) != ""
		for _, m := range slices.Sorted(maps.Keys(p.prices)) {
			info.Models = append(info.Models, ModelInfo{Name: m, Price: p.prices[m]})
		}
		if p.kind == KindEcho && len(info.Models) == 0 {
			info.Models = append(info.Models, ModelInfo{Name: "echo"})
		}
		if p.kind == KindAzure || (p.kind == KindOpenAI && (p.baseURL == DefaultOpenAIBaseURL || p.name == "openai")) {
			for _, m := range listPriced {
				if _, own := p.prices[m]; own {
					continue
				}
				price, _ := DefaultPrice(m)
				info.Models = append(info.Models, ModelInfo{Name: m, Price: price, ListPrice: true})
			}
		}
		if info.Models == nil {
			info.Models = []ModelInfo{}
		}
		out = append(out, info)
	}
	return out
}
