package provider

import (
	"bufio"
	"compress/gzip"
	"embed"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pkoukk/tiktoken-go"

	"promptbench/workspace"
)

// Tokens are counted offline with OpenAI's BPE ranks for the two encodings
// the supported models use (cl100k_base, o200k_base), embedded gzipped
// (2.4 MB instead of the 7 MB of every encoding tiktoken-go-loader
// embeds). An encoding is a table of tens of MB built on first use (a few
// hundred ms of CPU), so it is built only where a count must be exact: a
// server that sent no usage (the cost depends on it) and echo's max_tokens
// cut. Echo's counts are otherwise estimates (estimateTokens). The
// encodings are built here rather than through tiktoken.SetBpeLoader,
// which would change that package's global state. A nil encoding (loading
// failed) makes counts fall back to the estimate.
//
//go:embed bpe/*.tiktoken.gz
var bpeFiles embed.FS

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
		return estimateTokens(text)
	}
	return len(tk.EncodeOrdinary(text))
}

// estimateTokens is the usual rule of thumb, four characters a token, for
// counts that need not be exact: no tokenizer is built for it.
func estimateTokens(text string) int {
	if text == "" {
		return 0
	}
	return (utf8.RuneCountInString(text) + 3) / 4
}

// countMessages is the prompt size of messages in the chat format, counted
// with count (countTokens or estimateTokens).
func countMessages(msgs []workspace.Message, count func(string) int) int {
	n := tokensPerReply
	for _, m := range msgs {
		n += tokensPerMessage + count(m.Role) + count(m.Content)
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
	ranks, err := readRanks(name)
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

// readRanks reads an embedded BPE file: one "base64-token rank" per line.
func readRanks(name string) (map[string]int, error) {
	f, err := bpeFiles.Open("bpe/" + name + ".tiktoken.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	ranks := make(map[string]int, 200_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		tok, rank, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(tok)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r, err := strconv.Atoi(rank)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ranks[string(b)] = r
	}
	return ranks, sc.Err()
}
