package main

// articleB is "article B" of the research notes: another author with their own
// bio, no editor line, no banner image, hidden banner meta, a blank JSON-LD
// author and a single Reading-next card (it was the newest post when saved).
func articleB() *article {
	return &article{
		ID:        556512428157,
		Handle:    handleB,
		Title:     "Tesla Giga Texas Takes Delivery of STØTEK Aluminum Melting Furnace for Giga Press, Production Nears",
		Tags:      []string{"Tesla", "Giga Texas", "Giga Press"},
		Published: "2021-02-16T20:41:05",
		Modified:  "2023-07-28T09:14:52",
		Author:    "Alex Harmon", LDAuthor: " ", LDGiven: " ", LDFamily: "",
		Bio:       "Alex Harmon covers Tesla’s factories, supply chain and manufacturing technology for Tesmanian. Before turning to journalism in 2020, Alex spent eight years as a process engineer in the aluminum die-casting industry in Ohio and Michigan.",
		XHandle:   "AlexHarmonEV",
		Avatar:    "alex-harmon-tesmanian.jpg",
		AuthorBox: "block", AuthorBoxStyle: 0,
		ShowMeta:    false,
		Description: "Giga Texas has received the first sections of a large aluminum melting furnace from the Norwegian company STØTEK, which supplies the melting and holding systems for Tesla's Giga Press casting cells.",
		Excerpt:     "Giga Texas has received the first sections of a large aluminum melting furnace from the Norwegian company STØTEK, which supplies the melting and holding systems for Tesla's Giga Press casting cells. The delivery suggests that...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "feed", "sitemap"},
		Newer: "", Older: handleA,
		SectionID:  "template--16512394477821__main",
		KlaviyoApp: true,
		ShareStyle: 1,
		Tabs:       true,
		Notes:      "article B: no banner image (og:image falls back to the shop image, no JSON-LD image), banner meta hidden, JSON-LD author is whitespace, author box with its own bio, no editor line, one Reading-next card, embedded tweet, non-ASCII (STØTEK, Ø in Norwegian place names)",
		Prose: `<p>Tesla Giga Texas has taken delivery of the first sections of a large aluminum melting furnace made by <a href="https://www.stotek.no/" target="_blank" rel="noopener">STØTEK</a>, a Norwegian company that builds melting and holding furnaces for high-pressure die-casting. The shipment arrived at the construction site near Austin on Tuesday and was spotted by drone pilots who have been documenting the progress of the factory since last summer.</p>
<p>STØTEK, headquartered in Hvalstad outside Oslo, is one of the suppliers behind the Giga Press cells that Tesla uses to cast the rear underbody of Model Y in one piece. Each Giga Press, built by the Italian company IDRA, needs a steady stream of molten aluminum at a precisely controlled temperature, and the furnace is what keeps that stream going.</p>
<blockquote class="twitter-tweet" data-dnt="true">
<p lang="en" dir="ltr">Huge furnace sections being unloaded next to the casting area at Giga Texas this morning. Looks like STØTEK equipment, same as at Fremont. <a href="https://t.co/QkE1tX2m9b">pic.twitter.com/QkE1tX2m9b</a></p>
— Giga Texas Watch (@GigaTexasWatch) <a href="https://twitter.com/GigaTexasWatch/status/1361712334578601987?ref_src=twsrc%5Etfw">February 16, 2021</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
<p>The company has supplied similar equipment for Tesla's Fremont factory, where the first Giga Press went into operation last year. According to STØTEK, its furnaces can melt several tonnes of aluminum per hour while keeping energy consumption and dross formation low, which matters when a single casting weighs close to 80 kilograms.</p>
<p>The arrival of the furnace is another sign that Giga Texas is moving from construction to equipment installation. The casting area sits at the northern end of the main building, and the foundations for at least two Giga Presses were poured in January. Tesla has said it wants to begin Model Y production at the factory by the end of the year.</p>
<p>Giga Berlin, which is also preparing for Model Y production, will use the same approach. Images from Grünheide show that IDRA presses are already installed there, and it is likely that the German factory relies on the same supplier for its melting equipment.</p>
<p>Tesla has not commented on the delivery. The company usually does not discuss its suppliers, but the distinctive shape of the furnace sections and the STØTEK branding on the crates left little doubt about their origin.</p>`,
	}
}

// articleP is the older Reading-next target of the reference article: by Eva Fox,
// with an editor line.
func articleP() *article {
	return &article{
		ID:        556512165501,
		Handle:    handleP,
		Title:     "Tesla Filed a New Patent 'System and method for improving color appearance of solar roofs'",
		Tags:      []string{"Tesla", "Solar Roof", "Patent"},
		Published: "2021-02-14T16:27:40",
		Modified:  "2023-08-01T11:58:13",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:         evaFoxBio,
		XHandle:     "EvaFoxU",
		Avatar:      "eva-fox-tesmanian.jpg",
		AuthorBox:   "block",
		Editor:      "SmokeyShorts",
		ShowMeta:    false,
		Image:       "tesla-solar-roof-patent-color.jpg",
		ImageAlt:    "Tesla Solar Roof",
		ImageV:      1613338062,
		Description: "Tesla has filed a new patent application that describes a system and method for improving the color appearance of solar roofs, so that the solar tiles look the same as the non-solar ones.",
		Excerpt:     "Tesla has filed a new patent application that describes a system and method for improving the color appearance of solar roofs, so that the solar tiles look the same as the non-solar ones. The company wants its roof to be...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleA, Older: handleR,
		SectionID:  "template--16512394477821__main",
		ReviewsApp: true,
		Notes:      "Reading-next target of the reference article; Eva Fox with editor line (Twitter); banner meta hidden; image credit 'Source: USPTO' in <p><em>",
		Prose: `<p style="text-align: center;"><img src="https://cdn.shopify.com/s/files/1/0173/8204/files/tesla-solar-roof-patent-fig1_1024x1024.png?v=1613337966" alt="Tesla patent figure"></p>
<p style="text-align: center;"><em>Source: USPTO</em></p>
<p>Tesla has filed a new patent application titled "System and method for improving color appearance of solar roofs." The document, published by the U.S. Patent and Trademark Office on February 11, describes how the company wants to make the solar tiles of its roof indistinguishable from the non-solar tiles next to them.</p>
<p>The Solar Roof consists of two kinds of glass tiles: active tiles that contain photovoltaic cells and inactive tiles that only look the same. Under certain lighting conditions and viewing angles, the cells under the glass can become visible, and the roof loses the uniform appearance that distinguishes it from conventional solar panels mounted on top of a roof.</p>
<p>In the patent, Tesla proposes an optical layer between the glass and the cells that scatters part of the incoming light. The layer is designed so that it hides the pattern of the cells and busbars while letting through as much light as possible, so that the loss in efficiency stays small.</p>
<p>"It is desirable for the solar roof tiles to have a uniform color appearance across the entire roof, regardless of whether a particular tile contains photovoltaic structures," the application reads.</p>
<p>The document also describes a louver structure that can be printed on the back of the glass to limit the angles from which the cells can be seen. According to Tesla, the combination of both approaches makes the roof look the same from the street and from a neighbor's window.</p>
<p>Tesla has been increasing Solar Roof installations over the past months, and CEO Elon Musk has said that the product is a key part of the company's plan to combine solar generation, Powerwall storage and electric vehicles in one home energy system.</p>
<p>© 2021, Eva Fox. All rights reserved.</p>
<p><br></p>
<p><em>We appreciate your readership! Please share your thoughts in the comment section below.</em></p>
<p>Article edited by <a href="https://twitter.com/SmokeyShorts">@SmokeyShorts</a>, you can follow him on Twitter</p>`,
	}
}
