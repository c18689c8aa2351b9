#!/usr/bin/env python3
"""Turn text articles into news pages as a CMS would save them.

    bench/pages/make_pages.py OUT_DIR FILE.txt...

Each article becomes OUT_DIR/<name>.html: a WordPress-like page with a
header, navigation, a cookie notice, share bar, sidebar, comment thread,
footer, inline styles and scripts, Open Graph and JSON-LD metadata, and the
article's paragraphs as <p> in <article><div class="entry-content">.
Paragraphs are the file's lines; a line longer than 1,200 characters (the
SOTU speeches are one line each) is cut into paragraphs of five sentences.
Used for the HTML throughput comparison with omindex (docs/BENCHMARKS.md)
and for the seed pages in tests/data/html/seeds/.
"""
import html
import json
import os
import re
import sys

TEMPLATE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} &#8211; The Example Ledger</title>
<link rel="canonical" href="https://ledger.example/{slug}/">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="https://ledger.example/{slug}/">
<meta property="og:site_name" content="The Example Ledger">
<meta property="article:published_time" content="{date}T09:00:00+00:00">
<meta name="author" content="Ledger Staff">
<script type="application/ld+json">{ld}</script>
<style id="global-styles-inline-css">{style}</style>
<script>{script}</script>
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">The Example Ledger</a></p></div>
<nav id="site-navigation" class="main-navigation"><ul class="menu"><li><a href="/politics/">Politics</a></li><li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li><li><a href="/opinion/">Opinion</a></li></ul></nav></header>
<div id="cookie-notice" role="dialog"><p>We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.</p></div>
<main id="primary" class="site-main">
<article class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{title}</h1><div class="entry-meta"><time class="entry-date published" datetime="{date}T09:00:00+00:00">{date}</time> by <span class="author vcard">Ledger Staff</span></div></header>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li class="share-facebook"><a href="#">Facebook</a></li><li class="share-twitter"><a href="#">X</a></li></ul></div>
<div class="entry-content">
{body}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/politics/">Politics</a></span></footer>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts</h2><ol class="comment-list"><li class="comment"><p>A reader's comment that should not be indexed with the article.</p></li></ol></div>
</main>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/a/">Another story from the archive</a></li></ul></section></aside>
<footer id="colophon" class="site-footer"><p>&copy; The Example Ledger. Proudly powered by WordPress.</p></footer>
</div>
</body>
</html>
"""

STYLE = "body{margin:0;font-family:Georgia,serif}" * 40
SCRIPT = "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}" * 60


def paragraphs(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) <= 1200:
            out.append(line)
            continue
        sentences = re.split(r"(?<=[.!?])\s+", line)
        for i in range(0, len(sentences), 5):
            out.append(" ".join(sentences[i:i + 5]))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            paras = paragraphs(f.read())
        if not paras:
            continue
        title = re.split(r"(?<=[.!?])\s", paras[0])[0][:90]
        m = re.match(r"(\d{4})_", name)
        date = f"{m.group(1)}-01-15" if m else "2026-02-05"
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": date, "publisher": {"@type": "Organization", "name": "The Example Ledger"}})
        body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras)
        page = TEMPLATE.format(title=html.escape(title), slug=name, date=date, ld=ld.replace("</", "<\\/"),
                               style=STYLE, script=SCRIPT, body=body)
        with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
            f.write(page)


if __name__ == "__main__":
    main()
