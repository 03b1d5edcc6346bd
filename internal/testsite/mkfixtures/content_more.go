package main

// articleR is in Russian and its page is encoded in windows-1251, declared only
// by <meta charset>.
func articleR() *article {
	return &article{
		ID:        556512034429,
		Handle:    handleR,
		Title:     "Илон Маск пригласил Владимира Путина пообщаться в Clubhouse",
		Tags:      []string{"Elon Musk", "Clubhouse", "На русском"},
		Published: "2021-02-14T08:20:00",
		Modified:  "2021-02-14T08:20:00",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:         evaFoxBio,
		XHandle:     "EvaFoxU",
		Avatar:      "eva-fox-tesmanian.jpg",
		AuthorBox:   "block",
		ShowMeta:    true,
		Image:       "elon-musk-clubhouse-putin-invite.jpg",
		ImageAlt:    "Илон Маск и Clubhouse",
		ImageV:      1613308844,
		Description: "Генеральный директор Tesla и SpaceX Илон Маск пригласил президента России Владимира Путина присоединиться к беседе в социальной сети Clubhouse.",
		Excerpt:     "Генеральный директор Tesla и SpaceX Илон Маск в субботу, 13 февраля, пригласил президента России Владимира Путина присоединиться к беседе в социальной сети Clubhouse...",
		Theme:       "impact", Charset: "windows-1251", Lang: "ru",
		Reach: []string{"listing", "sitemap"},
		Newer: handleP, Older: handleG,
		SectionID: "template--16512394477821__main",
		Comments: []comment{
			{"Алексей", "2021-02-14T11:02:00", "<p>Было бы очень интересно послушать такой разговор. Надеюсь, Кремль ответит!</p>"},
		},
		Notes: "Russian-language article; the file is windows-1251, declared only by <meta charset=\"windows-1251\"> in the first 1024 bytes (served as text/html without charset); characters outside cp1251 (Ø in a card title) are numeric character references; banner meta shown; one comment in Cyrillic",
		Prose: `<p>Генеральный директор Tesla и SpaceX Илон Маск в субботу, 13 февраля, пригласил президента России Владимира Путина присоединиться к беседе в социальной сети Clubhouse. Приглашение было опубликовано в Twitter и адресовано официальному аккаунту Кремля.</p>
<p>«Не хотели бы вы присоединиться ко мне для беседы в Clubhouse?» — написал Маск, добавив, что для него было бы большой честью поговорить с Путиным. Через несколько минут предприниматель повторил приглашение на русском языке.</p>
<p style="text-align: center;"><img src="https://cdn.shopify.com/s/files/1/0173/8204/files/musk-tweet-kremlin_1024x1024.png?v=1613308790" alt="Твит Илона Маска"></p>
<p style="text-align: center;"><em>Изображение: Twitter</em></p>
<p>Clubhouse — новая социальная сеть, в которой пользователи общаются голосом в «комнатах». Приложение доступно только по приглашениям и только для iPhone, однако за последние недели оно стало одним из самых популярных в App Store в России, Германии и Японии.</p>
<p>Сам Маск впервые появился в Clubhouse 31 января, когда его беседу с основателем Robinhood Владом Теневым слушали тысячи человек. Комната быстро заполнилась до предела в 5&nbsp;000 участников, и поклонники запустили трансляции на YouTube.</p>
<p>В Кремле приглашение пока не прокомментировали. Известно, что Путин не пользуется смартфоном и не ведёт социальные сети лично, поэтому ответ, скорее всего, даст пресс-секретарь президента Дмитрий Песков.</p>
<p>Tesmanian продолжит следить за развитием событий. Если беседа состоится, она может стать одним из самых обсуждаемых событий в истории Clubhouse.</p>
<p>© 2021, Eva Fox. Все права защищены.</p>
<p><em>Благодарим за внимание! Поделитесь своим мнением в комментариях ниже.</em></p>`,
	}
}

// articleG has subheadings, lists, a blockquote, German names, € amounts and an
// editor credited "on X"; its author box is pasted into the body.
func articleG() *article {
	return &article{
		ID:        556511936125,
		Handle:    handleG,
		Title:     "Giga Berlin Approval Could Come “Within Weeks,” Says Brandenburg’s Economy Minister Jörg Steinbach",
		Tags:      []string{"Tesla", "Giga Berlin", "Germany"},
		Published: "2021-02-13T14:55:00",
		Modified:  "2023-08-02T16:40:27",
		Author:    "Lena Brandt", LDAuthor: "Lena Brandt", LDGiven: "Lena", LDFamily: "Brandt",
		Bio:       "Lena Brandt reports on Tesla’s European operations from Berlin. She has followed the Giga Berlin project in Grünheide since the first trees were cleared in early 2020 and also writes about Europe’s energy transition.",
		XHandle:   "LenaBrandtEV",
		Avatar:    "lena-brandt-tesmanian.jpg",
		AuthorBox: "prose", AuthorBoxStyle: 1,
		Editor:      "NatalieTWrites",
		ShowMeta:    true,
		Image:       "giga-berlin-february-2021-aerial.jpg",
		ImageAlt:    "Giga Berlin construction site in Grünheide, February 2021",
		ImageV:      1613246160,
		Description: "Brandenburg’s economy minister Jörg Steinbach expects the final permit for Tesla’s Gigafactory in Grünheide “within weeks” — the environment agency is still reviewing objections.",
		Excerpt:     "Brandenburg’s Minister for Economic Affairs, Jörg Steinbach, said on Friday that the final approval for Tesla’s Gigafactory in Grünheide could come “within weeks.” The State Environment Agency is still reviewing...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleR, Older: handleN,
		SectionID:  "template--15877120254013__main",
		CardMeta:   true,
		ReviewsApp: true,
		Comments: []comment{
			{"Markus Schäfer", "2021-02-13T16:12:44", "<p>Good news for Brandenburg! I drive past the site on the A10 every week and the progress is incredible.</p>"},
			{"Jenny L.", "2021-02-14T09:03:10", "<p>Hopefully the water question is really settled this time. The WSE has been very cautious — for good reasons.</p>"},
		},
		Notes: "h2/h3 subheadings, <ul> and <ol> lists, <blockquote>, German names (Jörg, Grünheide, Löcknitz), € amounts, curly quotes and em dashes; editor 'follow her on X' (x.com link); author box pasted at the end of .prose (second markup); banner meta shown (date, By Lena Brandt, 2 comments); comments block",
		Prose: `<p>Brandenburg’s Minister for Economic Affairs, Jörg Steinbach, said on Friday that the final approval for Tesla’s Gigafactory in Grünheide could come “within weeks.” The State Environment Agency (<em>Landesamt für Umwelt</em>, LfU) is still reviewing the objections raised during the public consultation — but, according to Steinbach, none of them is likely to stop the project.</p>
<h2>Where the project stands</h2>
<p>Tesla has so far built the factory under a series of preliminary permits (<em>vorzeitige Zulassungen</em>), which allow construction to proceed at the company’s own risk. If the final permit were refused, Tesla would have to restore the site to its original state. To cover that case, the company has deposited a security of €100 million with the state.</p>
<p>Construction has nevertheless moved quickly. Drone footage from this week shows:</p>
<ul>
<li>the press shop and the body-in-white building closed, with equipment being installed;</li>
<li>the roof of the paint shop nearly finished;</li>
<li>foundations for the drive-unit building poured;</li>
<li>the first sections of the battery plant rising at the eastern end of the site.</li>
</ul>
<p>Tesla is expected to invest around €5.8 billion in the first phase of Giga Berlin, which is designed to produce up to 500,000 Model Y vehicles per year.</p>
<h3>Water and the Löcknitz</h3>
<p>Much of the public debate has focused on water. The factory sits partly in a drinking-water protection area, and the local water utility, the <em>Wasserverband Strausberg-Erkner</em> (WSE), has warned that its supply is limited. Tesla reduced its planned water consumption by more than a third last year, to about 1.4 million cubic meters per year for the first phase.</p>
<blockquote>
<p>“We are confident that the remaining questions can be resolved. Tesla has answered everything we asked — in some cases more than once,” Steinbach told the regional broadcaster rbb.</p>
</blockquote>
<h2>What comes next</h2>
<p>The remaining steps are, in order:</p>
<ol>
<li>the LfU completes its evaluation of the objections;</li>
<li>the final permit is issued under the Federal Immission Control Act (<em>Bundes-Immissionsschutzgesetz</em>);</li>
<li>production of Model Y starts — Tesla is still aiming for July 2021.</li>
</ol>
<p>Minister President Dietmar Woidke, who visited the site in January, has called Giga Berlin “the most important industrial project in Brandenburg in decades.” About 40,000 people applied for jobs at the plant within weeks of the first openings being posted.</p>
<p>© 2021, Lena Brandt. All rights reserved.</p>
<p>Article edited by <a href="https://x.com/NatalieTWrites" target="_blank">@NatalieTWrites</a>, you can follow her on X</p>`,
	}
}

// articleN has a visible byline that disagrees with the JSON-LD author (the page
// was published from another staff account).
func articleN() *article {
	return &article{
		ID:        556511805053,
		Handle:    handleN,
		Title:     "Electric Cars Take 44.8% of Norway’s January Market as Buyers Wait for Tesla Model Y",
		Tags:      []string{"Tesla", "Norway", "Model Y"},
		Published: "2021-02-12T09:30:12",
		Modified:  "2021-02-12T10:02:55",
		Author:    "Johan Nilsen", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:       "Johan Nilsen is a freelance writer based in Bergen who covers the Nordic EV market for Tesmanian. He has driven electric cars since 2013 and still owns his first-generation Model S.",
		XHandle:   "JohanNilsenEV",
		Avatar:    "johan-nilsen-tesmanian.jpg",
		AuthorBox: "block", AuthorBoxStyle: 1,
		ShowMeta:    true,
		Image:       "tesla-model-y-norway-fjord.jpg",
		ImageAlt:    "Tesla Model Y in Norway",
		ImageV:      1613140212,
		Description: "Fully electric cars took 44.8% of new-car registrations in Norway in January, a quieter month as buyers wait for the first Tesla Model Y deliveries.",
		Excerpt:     "Fully electric cars took 44.8% of new-car registrations in Norway in January, according to the road traffic information council OFV. The share is lower than in December, when...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleG, Older: handleK,
		SectionID:  "template--15877120254013__main",
		CardMeta:   true,
		Compact:    true,
		CartItems:  1,
		ShareStyle: 1,
		ExpectedBy: "Johan Nilsen",
		Comments: []comment{
			{"Øyvind H.", "2021-02-12T13:48:20", "<p>Ordered my Model Y in December — still no VIN. Tesla says “late spring” for Tromsø.</p>"},
		},
		Notes: "visible byline 'By Johan Nilsen' and author box disagree with JSON-LD author 'Eva Fox' (the visible page wins); Norwegian names (Øyvind, Tromsø, Opplysningsrådet for veitrafikken, Ålesund); a <table>; embedded tweet; page saved without indentation; cart drawer with one item",
		Prose: `<p>Fully electric cars took 44.8% of new-car registrations in Norway in January, according to figures published by the road traffic information council, <em>Opplysningsrådet for veitrafikken</em> (OFV). The share is lower than the record months at the end of 2020, but January is traditionally quiet in Norway, and this year many buyers are waiting for a specific car: the Tesla Model Y.</p>
<p>“Many of our members have told us they are holding off until Model Y arrives,” said Christina Bu, secretary general of the Norwegian EV Association (<em>Norsk elbilforening</em>). “We expect the electric share to climb again as soon as deliveries begin.”</p>
<p>The top models in January were:</p>
<table>
<thead><tr><th>Model</th><th>Registrations</th></tr></thead>
<tbody>
<tr><td>Volkswagen ID.4</td><td>613</td></tr>
<tr><td>Audi e-tron</td><td>491</td></tr>
<tr><td>Nissan Leaf</td><td>365</td></tr>
<tr><td>Polestar 2</td><td>319</td></tr>
<tr><td>Tesla Model 3</td><td>116</td></tr>
</tbody>
</table>
<p>Tesla Model 3 registrations were low, as usual in the first month of a quarter, when Tesla’s ships are still on their way from Fremont and Shanghai. Øyvind Solberg Thorsen, director of OFV, noted that the pattern repeats every quarter and that Tesla typically leads the market in the last month.</p>
<blockquote class="twitter-tweet"><p lang="no" dir="ltr">Januar 2021: 44,8 prosent elbiler. Venter på Model Y! 🚗⚡</p>— Elbilforeningen (@elbilforeningen) <a href="https://twitter.com/elbilforeningen/status/1355793024183021568">January 31, 2021</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
<p>Tesla has opened Model Y orders in Norway with first deliveries expected in the second half of the year. Showrooms in Oslo, Bergen, Ålesund and Tromsø have already received demonstration cars, and test-drive slots were fully booked within days.</p>
<p>Norway’s government wants all new cars sold from 2025 to be zero-emission. With electric cars regularly taking more than half of the market, the country is well on its way.</p>`,
	}
}

// articleK is saved from an archived copy in the older Skeleton theme.
func articleK() *article {
	return &article{
		ID:        556511674493,
		Handle:    handleK,
		Title:     "SpaceX Starship SN10 Completes Cryogenic Proof Test at Boca Chica",
		Tags:      []string{"SpaceX", "Starship", "Elon Musk"},
		Published: "2021-02-11T17:45:30",
		Modified:  "2021-02-11T18:01:09",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:       evaFoxBio,
		XHandle:   "EvaFoxU",
		Avatar:    "eva-fox-tesmanian.jpg",
		AuthorBox: "prose", AuthorBoxStyle: 1,
		Editor:      "SmokeyShorts",
		ShowMeta:    true,
		Image:       "starship-sn10-boca-chica.jpg",
		ImageAlt:    "Starship SN10",
		ImageV:      1613083530,
		Description: "SpaceX has completed a cryogenic proof test of Starship SN10 on the suborbital pad at Boca Chica, a key step before static fire and a high-altitude flight.",
		Excerpt:     "SpaceX has completed a cryogenic proof test of Starship SN10 on the suborbital pad at Boca Chica, Texas, a key step before the vehicle can perform a static fire of its Raptor engines...",
		Theme:       "skeleton", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleN, Older: handleW,
		Comments: []comment{
			{"Rocket Fan", "2021-02-11T19:30:00", "<p>SN10 will stick the landing, I can feel it.</p>"},
			{"Dave K.", "2021-02-12T02:14:51", "<p>Great coverage as always, Eva.</p>"},
			{"Maria G.", "2021-02-12T07:40:33", "<p>Can’t wait for the static fire!</p>"},
		},
		Notes: "older Skeleton theme (sixteen/twelve/four columns, blog_content, microdata instead of JSON-LD, <time datetime> with offset, prev/next in div.paginate, sidebar of recent articles), no Impact classes; editor (Twitter) and author box in the body; 3 comments",
		Prose: `<p><img src="//cdn.shopify.com/s/files/1/0173/8204/articles/starship-sn10-boca-chica_large.jpg?v=1613083530" alt="Starship SN10"></p>
<p><em>Image: SpaceX</em></p>
<p>SpaceX has completed a cryogenic proof test of Starship SN10 on the suborbital pad at Boca Chica, Texas. During the test, engineers filled the vehicle's tanks with liquid nitrogen to check that they can withstand the pressures and temperatures of flight. It is a key step before the vehicle can perform a static fire of its three Raptor engines.</p>
<p>SN10 was rolled to the launch site at the end of January, only days before its predecessor SN9 flew to an altitude of about 10 kilometers on February 2. SN9 performed the belly-flop maneuver perfectly but crashed on landing when one of its Raptor engines failed to relight.</p>
<p>After the flight, Elon Musk wrote that SpaceX would change the landing procedure for SN10. If one engine fails to ignite, the vehicle will still be able to land on the remaining two.</p>
<p>The test campaign could be short. In previous campaigns, SpaceX performed the static fire within a week or two of the cryogenic test and flew soon after. Local residents have already received notices about possible road closures and evacuation windows for the coming weeks.</p>
<p>Meanwhile, the next prototypes are taking shape in the production area. SN11 is nearly fully stacked, and sections of SN15, which will include a number of design improvements, have been spotted in the tents.</p>
<p>© 2021, Eva Fox. All rights reserved.</p>
<p><em>We appreciate your readership! Please share your thoughts in the comment section below.</em></p>
<p>Article edited by <a href="https://twitter.com/SmokeyShorts">@SmokeyShorts</a>, you can follow him on Twitter</p>`,
	}
}

// articleW is a syndicated wire story: no author box, banner meta hidden, the
// only visible credit is the wire line.
func articleW() *article {
	return &article{
		ID:        556511543421,
		Handle:    handleW,
		Title:     "SpaceX Starlink Passes 1,000 Satellites in Orbit After Latest Falcon 9 Launch",
		Tags:      []string{"SpaceX", "Starlink"},
		Published: "2021-02-10T16:20:00",
		Modified:  "2021-02-10T16:20:00",
		Author:    "Tesmanian Team", LDAuthor: "Tesmanian Team", LDGiven: "Tesmanian", LDFamily: "Team",
		AuthorBox:   "none",
		ShowMeta:    false,
		Image:       "falcon-9-starlink-launch-february.jpg",
		ImageAlt:    "Falcon 9 launches Starlink satellites",
		ImageV:      1613000000,
		Description: "SpaceX launched 60 more Starlink satellites on a Falcon 9 rocket, bringing the number of satellites it has sent to orbit for the broadband network to more than 1,000.",
		Excerpt:     "SpaceX launched 60 more Starlink satellites on Wednesday, bringing the number of satellites it has sent to orbit for its broadband network to more than 1,000...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleK, Older: handleL,
		SectionID:  "template--16512394477821__main",
		WireCredit: "Reporting by Nina Caldwell in Los Angeles; Editing by Peter Lindholm",
		ExpectedBy: "Nina Caldwell",
		Notes:      "syndicated wire story: dateline, no author box, banner meta hidden, JSON-LD author 'Tesmanian Team' (staff account); the only visible credit is the wire line 'Reporting by Nina Caldwell in Los Angeles; Editing by Peter Lindholm'; embedded YouTube iframe",
		Prose: `<p><strong>LOS ANGELES</strong> - SpaceX launched 60 more Starlink satellites on Wednesday, bringing the number of satellites it has sent to orbit for its broadband network to more than 1,000, as the company prepares to offer the service more widely this year.</p>
<p>A Falcon 9 rocket lifted off from Cape Canaveral Space Force Station in Florida shortly after midnight. The first-stage booster, flying for the fifth time, landed on the drone ship "Of Course I Still Love You" in the Atlantic Ocean about eight minutes later.</p>
<div class="video-wrapper"><iframe width="560" height="315" src="https://www.youtube.com/embed/Kl4Gt0uQv3M" title="Starlink Mission" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe></div>
<p>Starlink, which beams internet service from low Earth orbit, is in a public beta test in the United States, Canada and the United Kingdom. SpaceX has said the service has more than 10,000 users, who pay $99 a month plus $499 for a user terminal.</p>
<p>The company has permission from the U.S. Federal Communications Commission to launch about 12,000 satellites and has applied for permission for tens of thousands more. Competitors including Amazon.com Inc's Project Kuiper and OneWeb are building rival networks.</p>
<p>Chief Executive Elon Musk has said Starlink could be spun off and taken public once its cash flow becomes predictable.</p>
<p><em>Reporting by Nina Caldwell in Los Angeles; Editing by Peter Lindholm</em></p>`,
	}
}

// articleL repeats the headline as an <h2> in the body and credits its image
// in a <figcaption>; it was the oldest post in the listing when saved.
func articleL() *article {
	return &article{
		ID:        556511412349,
		Handle:    handleL,
		Title:     "Starlink Pre-Orders Open to the Public for a $99 Deposit",
		Tags:      []string{"SpaceX", "Starlink"},
		Published: "2021-02-09T11:02:47",
		Modified:  "2023-07-30T08:21:16",
		Author:    "Marcus Hale", LDAuthor: "Marcus Hale", LDGiven: "Marcus", LDFamily: "Hale",
		Bio:         "Marcus Hale writes about SpaceX, Starlink and the commercial space industry for Tesmanian. A former satellite-communications technician, he has watched every Falcon 9 launch since 2015.",
		XHandle:     "MarcusHaleSpace",
		Avatar:      "marcus-hale-tesmanian.jpg",
		AuthorBox:   "block",
		ShowMeta:    true,
		Image:       "starlink-dish-preorder.jpg",
		ImageAlt:    "Starlink user terminal",
		ImageV:      1612886567,
		Description: "SpaceX now lets anyone in its coverage area pre-order Starlink with a $99 refundable deposit, with service promised for mid to late 2021.",
		Excerpt:     "SpaceX now lets anyone in its coverage area pre-order Starlink with a $99 refundable deposit. Visitors of the Starlink website can enter their address and...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"listing", "sitemap"},
		Newer: handleW, Older: "",
		SectionID:  "template--16512394477821__main",
		KlaviyoApp: true,
		Compact:    false,
		Notes:      "headline repeated as <h2> at the top of the body; image credit in <figure><figcaption>; banner meta shown, no comments; no editor line; oldest listed post (one Reading-next card)",
		Prose: `<h2>Starlink Pre-Orders Open to the Public for a $99 Deposit</h2>
<figure><img src="https://cdn.shopify.com/s/files/1/0173/8204/files/starlink-order-page_1024x1024.png?v=1612886401" alt="Starlink order page">
<figcaption>Image: SpaceX</figcaption>
</figure>
<p>SpaceX now lets anyone in its coverage area pre-order Starlink with a $99 refundable deposit. Visitors of the Starlink website can enter their address and, if service is not yet available at their location, reserve a place in line. The company says that service will expand to more areas in "mid to late 2021."</p>
<p>Until now, access to the public beta was by invitation only. Users who signed up on the website received an email when capacity became available in their area, then paid $499 for the kit and $99 per month for the service.</p>
<p>The deposit is fully refundable, and the order is processed on a first-come, first-served basis. The page notes that "availability is limited in some areas" and that orders are fulfilled as the constellation grows.</p>
<p>SpaceX has launched more than 1,000 satellites so far and plans to continue launching batches of 60 every few weeks. The company says it has more than 10,000 users in the beta, many of them in rural areas where other broadband options are poor or unavailable.</p>
<p>Beta users report download speeds between 50 and 150 megabits per second, with latency of 20 to 40 milliseconds. SpaceX expects speeds and reliability to improve as more satellites are launched and ground stations are added.</p>`,
	}
}

// articleS is listed only in the sitemap: it was published later with a
// back-dated date and is tagged so that the theme hides it from listings and
// prev/next links; its own page still shows its chronological neighbors.
func articleS() *article {
	return &article{
		ID:        556513017981,
		Handle:    handleS,
		Title:     "Tesla Updates Model S Plaid Order Page With New Delivery Estimates",
		Tags:      []string{"Tesla", "Model S", "hidden"},
		Published: "2021-02-09T18:06:00",
		Modified:  "2021-02-18T13:37:02",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:         evaFoxBio,
		XHandle:     "EvaFoxU",
		Avatar:      "eva-fox-tesmanian.jpg",
		AuthorBox:   "block",
		ShowMeta:    false,
		Image:       "model-s-plaid-order-page.jpg",
		ImageAlt:    "Model S Plaid",
		ImageV:      1613673422,
		Description: "Tesla has updated the order page of the new Model S with fresh delivery estimates for the Plaid and Plaid+ versions.",
		Excerpt:     "Tesla has updated the order page of the new Model S with fresh delivery estimates for the Plaid and Plaid+ versions...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"sitemap"},
		Newer: handleW, Older: handleL,
		SectionID: "template--16512394477821__main",
		Hidden:    true,
		Notes:     "sitemap-only: not in any listing, tag page, feed or other article's Reading next (back-dated, tagged 'hidden'); its own Reading next links its chronological neighbors",
		Prose: `<p>Tesla has updated the order page of the new Model S with fresh delivery estimates. Customers who order a Model S Plaid today are shown an estimated delivery in "mid 2021," while the Plaid+ version with a range of more than 520 miles is now listed for "late 2021."</p>
<p>The refreshed Model S and Model X were unveiled at the end of January with a new interior, a yoke-style steering wheel and a 17-inch landscape touchscreen. The Plaid versions use three electric motors and, according to Tesla, accelerate from 0 to 60 mph in under two seconds.</p>
<p>The Long Range Model S, with two motors and an estimated range of 412 miles, is listed for March deliveries. Tesla has not said how many of the new cars it plans to build in the first months of production at Fremont.</p>
<p>Some customers who ordered in January report that their estimates have moved back by several weeks. Tesla usually gives more precise delivery windows only when a car has been assigned a VIN.</p>
<p>© 2021, Eva Fox. All rights reserved.</p>
<p><em>We appreciate your readership! Please share your thoughts in the comment section below.</em></p>`,
	}
}

// articleF is the newest post, published after the listings and the sitemap
// were saved: it is reachable only through the Atom feed.
func articleF() *article {
	return &article{
		ID:        556512526461,
		Handle:    handleF,
		Title:     "Tesla Raises Model 3 and Model Y Prices in the US by $500",
		Tags:      []string{"Tesla", "Model 3", "Model Y"},
		Published: "2021-02-17T07:15:00",
		Modified:  "2021-02-17T07:15:00",
		Author:    "Eva Fox", LDAuthor: "Eva Fox", LDGiven: "Eva", LDFamily: "Fox",
		Bio:         evaFoxBio,
		XHandle:     "EvaFoxU",
		Avatar:      "eva-fox-tesmanian.jpg",
		AuthorBox:   "block",
		Editor:      "SmokeyShorts",
		ShowMeta:    true,
		Image:       "tesla-model-3-model-y-prices-us.jpg",
		ImageAlt:    "Tesla Model 3 and Model Y",
		ImageV:      1613564100,
		Description: "Tesla has raised the prices of Model 3 and Model Y in the United States by $500 across most versions.",
		Excerpt:     "Tesla has raised the prices of Model 3 and Model Y in the United States by $500 across most versions...",
		Theme:       "impact", Charset: "utf-8", Lang: "en",
		Reach: []string{"feed"},
		Newer: "", Older: handleB,
		SectionID:   "template--16512394477821__main",
		CartItems:   1,
		ReviewsApp:  true,
		Notes:       "feed-only: published after the listings and the sitemap were saved; newest post (one Reading-next card); banner meta shown; cart drawer with one item",
		FeedSummary: "Tesla has raised the prices of Model 3 and Model Y in the United States by $500 across most versions.",
		Prose: `<p>Tesla has raised the prices of Model 3 and Model Y in the United States by $500 across most versions. The Model 3 Standard Range Plus now starts at $37,490, while the Model 3 Long Range costs $47,490 and the Performance version $56,490.</p>
<p>Model Y Long Range now costs $50,490 and Model Y Performance $60,490. The price of the Standard Range Model Y, which Tesla introduced only in January, did not change, but the version is no longer shown on the main order page.</p>
<p>The change comes less than a month after Tesla cut the prices of several versions of both cars. The company adjusts prices frequently, often in response to changes in production costs and demand.</p>
<p>Tesla does not comment on its pricing decisions. The company stopped working with a public relations department in the United States last year.</p>
<p>Customers who have already placed an order keep the price they agreed to, according to the terms on Tesla's website.</p>
<p>© 2021, Eva Fox. All rights reserved.</p>
<p><br></p>
<p><em>We appreciate your readership! Please share your thoughts in the comment section below.</em></p>
<p>Article edited by <a href="https://twitter.com/SmokeyShorts">@SmokeyShorts</a>, you can follow him on Twitter</p>`,
	}
}
