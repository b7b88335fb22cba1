package provider

import (
	"strings"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"

	"promptbench/workspace"
)

// Tokens are counted offline with the BPE files embedded in
// tiktoken-go-loader. The encodings are immutable tables of tens of MB,
// loaded once per process on first use (a few hundred ms) and shared;
// they are built here rather than through tiktoken.SetBpeLoader, which
// would change that package's global state. A nil encoding (loading
// failed) makes counts fall back to bytes/4.
var (
	o200k  = sync.OnceValue(loadO200k)
	cl100k = sync.OnceValue(loadCl100k)
)

// Per-message overhead of the chat format, from OpenAI's cookbook.
const (
	tokensPerMessage = 3
	tokensPerReply   = 3
)

// usesO200k reports whether model's tokenizer is o200k_base: the gpt-4o,
// gpt-4.1, gpt-4.5, o-series and gpt-5 families; older models use
// cl100k_base.
func usesO200k(model string) bool {
	if i := strings.LastIndex(model, "/"); i >= 0 {
		model = model[i+1:]
	}
	for _, p := range []string{"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

func encoder(model string) *tiktoken.Tiktoken {
	if usesO200k(model) {
		return o200k()
	}
	return cl100k()
}

// count is the number of tokens of text for model.
func countTokens(model, text string) int {
	if text == "" {
		return 0
	}
	tk := encoder(model)
	if tk == nil {
		return (len(text) + 3) / 4
	}
	return len(tk.EncodeOrdinary(text))
}

// countMessages is the prompt size of messages in the chat format.
func countMessages(model string, msgs []workspace.Message) int {
	n := tokensPerReply
	for _, m := range msgs {
		n += tokensPerMessage + countTokens(model, m.Role) + countTokens(model, m.Content)
	}
	return n
}

func loadO200k() *tiktoken.Tiktoken {
	pats := []string{
		`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
		`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
		`\p{N}{1,3}`,
		` ?[^\s\p{L}\p{N}]+[\r\n/]*`,
		`\s*[\r\n]+`,
		`\s+(?!\S)`,
		`\s+`,
	}
	return load(tiktoken.MODEL_O200K_BASE, strings.Join(pats, "|"),
		map[string]int{tiktoken.ENDOFTEXT: 199999, tiktoken.ENDOFPROMPT: 200018})
}

func loadCl100k() *tiktoken.Tiktoken {
	return load(tiktoken.MODEL_CL100K_BASE,
		`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
		map[string]int{tiktoken.ENDOFTEXT: 100257, tiktoken.FIM_PREFIX: 100258, tiktoken.FIM_MIDDLE: 100259,
			tiktoken.FIM_SUFFIX: 100260, tiktoken.ENDOFPROMPT: 100276})
}

func load(name, pat string, special map[string]int) *tiktoken.Tiktoken {
	ranks, err := tiktokenloader.NewOfflineLoader().LoadTiktokenBpe(name + ".tiktoken")
	if err != nil {
		return nil
	}
	bpe, err := tiktoken.NewCoreBPE(ranks, special, pat)
	if err != nil {
		return nil
	}
	set := make(map[string]any, len(special))
	for k := range special {
		set[k] = true
	}
	return tiktoken.NewTiktoken(bpe, &tiktoken.Encoding{Name: name, PatStr: pat, MergeableRanks: ranks, SpecialTokens: special}, set)
}
