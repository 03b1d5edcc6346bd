package main

const evaFoxBio = `Eva Fox joined Tesmanian in 2019 to cover breaking news as an automotive journalist. The main topics that she covers are clean energy and electric vehicles. As a journalist, Eva is specialized in Tesla and topics related to the work and development of the company.`

const (
	handleA = "the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"
	handleB = "tesla-giga-texas-takes-delivery-of-stotek-aluminum-melting-furnace-for-giga-press-production-nears"
	handleP = "tesla-filed-a-new-patent-system-and-method-for-improving-color-appearance-of-solar-roofs"
)

// articleA is the reference article: its visible text reproduces
// /work/shared/reference/tesmanian-article.txt.
func articleA() *article {
	return &article{
		ID:        556512329853,
		Handle:    handleA,
		Title:     "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'",
		Tags:      []string{"Elon Musk", "Clubhouse"},
		Published: "2021-02-15T10:03:11",
		Modified:  "2023-08-01T12:00:00",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:         evaFoxBio,
		XHandle:     "EvaFoxU",
		Avatar:      "eva-fox-tesmanian.jpg",
		AuthorBox:   "block",
		Editor:      "SmokeyShorts",
		ShowMeta:    false,
		Image:       "elon-musk-putin-clubhouse-kremlin.jpg",
		ImageAlt:    "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'",
		ImageV:      1613401391,
		Description: "Elon Musk is ready for a dialogue with Russian President Vladimir Putin. On February 13, he invited Putin to a meeting, and it seems the Kremlin considers this a very interesting proposal.",
		Excerpt:     "Elon Musk is ready for a dialogue with Russian President Vladimir Putin. On February 13, he invited Putin to a meeting, and it seems the Kremlin considers this a very interesting proposal. After examining all the details, the Kremlin...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "feed", "sitemap"},
		Newer: handleB, Older: handleP,
		SectionID:  "template--16512394477821__main",
		CartItems:  0,
		ReviewsApp: true,
		Notes:      "reference article: visible text = shared/reference/tesmanian-article.txt; banner meta hidden; headline repeated as <h1> in the body; image credit in <p><em>; editor line (Twitter); author box as a custom block after the body; two Reading-next cards",
		Prose: `<h1 style="text-align: center;"><span style="font-weight: 400;">The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'</span></h1>
<p style="text-align: center;"><img src="https://cdn.shopify.com/s/files/1/0173/8204/files/Elon-Musk-Putin_1024x1024.jpg?v=1613401311" alt="" style="float: none;"></p>
<p style="text-align: center;"><em><span style="font-weight: 400;">Image: Brand Inside</span></em></p>
<p><span style="font-weight: 400;">Elon Musk is ready for a dialogue with Russian President Vladimir Putin. On February 13, he invited Putin to a meeting, and it seems the Kremlin considers this a very interesting proposal. After examining all the details, the Kremlin representatives will decide how exactly they will&nbsp;respond&nbsp;to this.</span></p>
<p><span style="font-weight: 400;">On February 13, Tesla and SpaceX CEO Elon Musk asked the official Twitter account of the President of Russia if he wanted to join a conversation with him on Clubhouse. Clubhouse is a new social media platform where people can talk to each other and participate in discussions of topics of interest. In the last few weeks, it has attracted famous people like Elon Musk, Mark Zuckerberg, Steve Ballmer, and others.</span></p>
<p><span style="font-weight: 400;">The Kremlin considered Musk's proposal with an invite to Russian President Putin interesting, said Russian President's press secretary Dmitry Peskov, according to </span><a href="https://www.interfax.ru/russia/750980"><span style="font-weight: 400;">Interfax</span></a><span style="font-weight: 400;">. He noted that Putin has nothing to do with the Kremlin's social media account, and that the Kremlin needs to brainstorm before agreeing.</span></p>
<p><span style="font-weight: 400;">"We first want to figure it out. You know that President Putin does not directly use social networks. He personally does not run them. In general, this is certainly a very interesting proposal," Peskov told reporters.</span></p>
<p><span style="font-weight: 400;">"We need to somehow understand what is meant, what is proposed. First, we will check all this and then we will react," he added.</span></p>
<p><span style="font-weight: 400;">The conversation between Musk and Putin could be very interesting, and because it was open to the audience (although the Clubhouse room is limited to only 5,000 people) it would make a lot of sense. The entrepreneur and the President could discuss a number of important topics, such as the development of the space industry, the climate situation on Earth, etc.</span></p>
<p><span style="font-weight: 400;">© 2021, Eva Fox. All rights reserved.</span></p>
<p><br></p>
<p><em><span style="font-weight: 400;">We appreciate your readership! Please share your thoughts in the comment section below.</span></em></p>
<p><span style="font-weight: 400;">Article edited by </span><a href="https://twitter.com/SmokeyShorts"><span style="font-weight: 400;">@SmokeyShorts</span></a><span style="font-weight: 400;">, you can follow him on Twitter</span></p>`,
	}
}
