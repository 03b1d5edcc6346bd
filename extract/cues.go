package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Language cues of the generic layer: month names, dateline words and byline
// labels in the languages news sites publish in most. They are data, read
// once; nothing here names a site.

// localMonths maps month names and their usual abbreviations, lowercased, to
// the month number: en, de, fr, es, pt, it, nl, pl, ru, tr, sv/da/no, cs, ar.
// Slavic genitive forms ("marca", "марта") are listed as printed in dates.
var localMonths = func() map[string]int {
	lists := []string{
		// en
		"january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept|october oct|november nov|december dec",
		// de
		"januar jänner jän|februar feber|märz mär maerz|april|mai|juni|juli|august|september|oktober okt|november|dezember dez",
		// fr
		"janvier janv|février fevrier févr fevr|mars|avril avr|mai|juin|juillet juil|août aout|septembre|octobre|novembre|décembre decembre déc",
		// es
		"enero ene|febrero|marzo|abril abr|mayo|junio|julio|agosto ago|septiembre setiembre|octubre|noviembre|diciembre dic",
		// pt
		"janeiro|fevereiro fev|março marco|abril|maio|junho|julho|agosto|setembro set|outubro out|novembro|dezembro",
		// it
		"gennaio gen|febbraio|marzo|aprile|maggio mag|giugno giu|luglio lug|agosto|settembre sett|ottobre ott|novembre|dicembre",
		// nl
		"januari|februari|maart mrt|april|mei|juni|juli|augustus|september|oktober|november|december",
		// pl (genitive, as in dates)
		"stycznia styczeń|lutego luty|marca marzec|kwietnia kwiecień|maja maj|czerwca czerwiec|lipca lipiec|sierpnia sierpień|września wrzesień|października październik|listopada listopad|grudnia grudzień",
		// ru (genitive, as in dates)
		"января январь янв|февраля февраль фев|марта март|апреля апрель апр|мая май|июня июнь|июля июль|августа август авг|сентября сентябрь сен|октября октябрь окт|ноября ноябрь ноя|декабря декабрь дек",
		// tr
		"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık",
		// sv, da, no
		"januar|februar|mars|april|maj|juni|juli|augusti|september|oktober|november|december desember",
		// cs (genitive)
		"ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince",
		// ar
		"يناير كانون الثاني|فبراير شباط|مارس آذار|أبريل نيسان|مايو أيار|يونيو حزيران|يوليو تموز|أغسطس آب|سبتمبر أيلول|أكتوبر تشرين الأول|نوفمبر تشرين الثاني|ديسمبر كانون الأول",
	}
	m := map[string]int{}
	for _, l := range lists {
		for i, month := range strings.Split(l, "|") {
			for _, name := range strings.Fields(month) {
				if _, ok := m[name]; !ok {
					m[name] = i + 1
				}
			}
		}
	}
	return m
}()

var (
	// "2024年5月3日", "2024년 5월 3일"
	reCJKDate = regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?`)
	reISODate = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	// "12.03.2024", "12/03/2024"
	reNumDate = regexp.MustCompile(`\b(\d{1,2})([./])\s?(\d{1,2})([./])\s?(\d{4})\b`)
	// "12. März 2024", "3 de mayo de 2023", "3 мая 2023 г.", "12 Mart 2024"
	reDayMonth = regexp.MustCompile(`(\d{1,2})(?:\.|er|º)?\s+(?:de\s+)?(\p{L}+)\.?,?\s+(?:de\s+|del\s+)?(\d{4})`)
	// "May 3, 2023", "Sept. 15th 2021"
	reMonthDay = regexp.MustCompile(`(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})`)
)

// localDateWords are the words around dates in datelines besides month
// names: weekdays, "published", "updated", "at", "o'clock" in the languages
// of localMonths, and the CJK date characters.
var localDateWords = wordSet(
	// de
	"montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so uhr um am veröffentlicht aktualisiert stand " +
		// fr
		"lundi mardi mercredi jeudi vendredi samedi dimanche le à publié mis jour h " +
		// es, pt
		"lunes martes miércoles jueves viernes sábado domingo publicado actualizado atualizado el de del às hs hrs " +
		"segunda terça quarta quinta sexta feira " +
		// it
		"lunedì martedì mercoledì giovedì venerdì sabato domenica pubblicato aggiornato alle ore il " +
		// nl
		"maandag dinsdag woensdag donderdag vrijdag zaterdag zondag gepubliceerd bijgewerkt om op " +
		// pl, ru, tr
		"opublikowano aktualizacja godz r dnia опубликовано обновлено в г года " +
		"yayınlanma güncelleme tarihi saat " +
		// cjk
		"年 月 日 년 월 일 時 分")

// bylineCues are the words that open a printed credit line, lowercased:
// "By", "Von", "Par", "Por", "Di", "Door", "Av", "Autor:", "Text:", "Автор:".
var bylineCues = wordSet("by von par por di door av af autor autorin autore auteur auteurs text texto testo tekst " +
	"written words reportage reporting автор текст yazar yazan كتب بقلم")

// reBylineCue matches a credit line opened by a cue in any of those
// languages, capturing the names: "Von Anna Schmidt", "Par Jean Dupont",
// "Autor: Jan Kowalski", "Texto: Ana Pérez".
var reBylineCue = regexp.MustCompile(`^(?i:by|written by|words by|von|par|por|di|door|av|af|autor(?:in)?(?:\s*/\s*autor(?:in)?|\*in|:in|/in)?:?|autore:?|auteurs?\s*:|text(?:o|e)?\s*:|testo\s*:|tekst\s*:|автор:?|текст:|yazar:?|بقلم|كتب)\s+(.{2,80})$`)

// genericCredits are author values that name no person: a CMS account or a
// desk ("admin", "Redaktion"). A declared byline of one of these gives way to
// the printed one.
var genericCredits = wordSet("admin administrator administrador webmaster editor editors editorial staff user guest " +
	"redaktion redaction rédaction redacción redação redazione redactie redakcja редакция newsroom desk team")

// genericCredit reports a declared author value that names no person: a
// generic account or desk, or the site's own name.
func genericCredit(v string, siteNames ...string) bool {
	k := strings.ToLower(strings.TrimSpace(v))
	if k == "" || genericCredits[k] {
		return true
	}
	for _, s := range siteNames {
		if s != "" && normTitle(s) == normTitle(v) {
			return true
		}
	}
	return false
}

// boilerLabels are whole lines that are page furniture in the languages of
// localMonths and in ja, zh, ko and ar: ad labels, share and comment
// buttons, "read also" headers. They are compared lowercased, without
// surrounding punctuation.
var boilerLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(
		// ads
		"advertisement|anzeige|werbung|publicité|publicidad|publicidade|pubblicità|advertentie|reklama|реклама|reklam|annonse|annons|annonce|"+
			"広告|广告|廣告|광고|إعلان|"+
			// share, comments, newsletter, follow
			"teilen|artikel teilen|kommentare|partager|commentaires|compartir|comentarios|compartilhe|compartilhar|condividi|commenti|"+
			"delen|deel dit artikel|reacties|udostępnij|komentarze|поделиться|комментарии|paylaş|yorumlar|del|dela|kommentarer|"+
			"シェア|分享|공유하기|شارك",
		"|") {
		m[l] = true
	}
	return m
}()

// maxBoilerLabel is the length in bytes of the longest of boilerLabels.
var maxBoilerLabel = func() int {
	n := 0
	for l := range boilerLabels {
		n = max(n, len(l))
	}
	return n
}()

// readAlsoLabels open a line that points to another article: "Lesen Sie
// auch: …". Standing alone, such a header can be part of the text, so it
// counts only before a colon.
var readAlsoLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(
		"read more|read also|see also|related|mehr zum thema|lesen sie auch|auch interessant|das könnte sie auch interessieren|weitere artikel|lire aussi|à lire aussi|"+
			"voir aussi|lee también|lea también|te puede interesar|más información|leia também|leia mais|veja também|leggi anche|"+
			"lees ook|lees meer|czytaj też|czytaj także|czytaj więcej|zobacz też|zobacz także|читайте также|смотрите также|"+
			"ilgili haberler|ayrıca okuyun|les også|läs också|læs også|関連記事|あわせて読みたい|相关阅读|相关新闻|延伸阅读|관련기사|اقرأ أيضا|اقرأ أيضاً",
		"|") {
		m[l] = true
	}
	return m
}()

// localBoilerplate reports a short line that is one of boilerLabels, or
// opens with one of them or of readAlsoLabels followed by a colon ("Lesen
// Sie auch: …").
func localBoilerplate(t string) bool {
	if len(t) > 200 {
		return false
	}
	k := strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(k) > 3*maxBoilerLabel && !strings.ContainsAny(k, ":：") {
		// Too long to lowercase into a label (a letter at most triples in
		// bytes when lowercased: K, the Kelvin sign) and no colon: an
		// ordinary line, not worth copying lowercased.
		return false
	}
	k = strings.ToLower(k)
	if boilerLabels[k] {
		return true
	}
	if i := strings.IndexAny(k, ":："); i > 0 {
		head := strings.TrimSpace(k[:i])
		return boilerLabels[head] || readAlsoLabels[head]
	}
	return false
}

// classWords calls fn with each word of a class name, lowercased: words
// split at "-", "_", digits and lower-to-upper case changes ("metaDate").
func classWords(name string, fn func(string)) {
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) {
			c := name[i]
			if c >= 'a' && c <= 'z' {
				continue
			}
			if c >= 'A' && c <= 'Z' {
				if i > start && name[i-1] >= 'a' && name[i-1] <= 'z' {
					fn(strings.ToLower(name[start:i]))
					start = i
				}
				continue
			}
		}
		if i > start {
			fn(strings.ToLower(name[start:i]))
		}
		start = i + 1
	}
}
