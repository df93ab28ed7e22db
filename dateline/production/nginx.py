"""The nginx configuration of the production tier: TLS, a page cache in front of the app that
the app purges (with one request per page going to the app while others wait or get the page
they had), the live stream passed to Pushpin unbuffered, photos and static files from disk.

nginx's cache is purged by exact key: ngx_cache_purge (Debian's libnginx-mod-http-cache-purge)
answers PURGE requests on a server of its own, on 127.0.0.1 only, that rebuilds the key from
the request (``$http_x_dateline_scheme$http_host$request_uri#$http_x_dateline_encoding``, the
same as the pages' ``$scheme$http_host$request_uri#$dateline_encoding``). The app's workers
send them when a purge by surrogate key drops what they handed to nginx
(dateline.pagecache.shared). A page is also kept no longer than the microcache (1 s by
default), the safety net for whatever no purge reaches.

Compression: the reader's ``Accept-Encoding`` is reduced to the one coding the app's page
cache stores (``br``, else ``gzip``, else none), which is passed to the app and is part of the
key, so nginx keeps the app's pre-compressed bytes, one copy per coding, each purged by its own
key, and compresses nothing per hit. What the app does not compress (pages that are not cached,
small ones) nginx compresses with gzip; Debian's brotli module (libnginx-mod-http-brotli-filter)
is not needed for that and not loaded.

Conditional requests: nginx answers ``If-None-Match`` and ``If-Modified-Since`` with 304 itself
for what it has cached, from the ``ETag`` and ``Last-Modified`` the app gave the page.

Only responses the app marks ``public`` are kept, never for a request with Django's messages
cookie or credentials (the session and CSRF cookies do not matter: public pages are the same
for every reader), never a response with a ``Vary`` other than ``Accept-Encoding`` (that one is
in the key; ngx_cache_purge removes only the variant of the purge request itself, so a page kept
in other variants could not be purged whole) and never for an address that ends in a bare ``?``
(the app sees it without one and could not name it)."""

from dataclasses import dataclass
from pathlib import Path

# Debian's libnginx-mod-http-cache-purge.
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
# Debian's libnginx-mod-http-brotli-static: without it, browsers get the gzip copies.
BROTLI_STATIC_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

TEMPLATE = """\
# Written by `dateline nginx-config`. Run: nginx -c {conf} -p {dir}
load_module {purge_module};
{brotli_module}{user}worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/log/error.log warn;
{daemon}

events {{
    worker_connections 8192;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server_tokens off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;

    proxy_cache_path {dir}/cache levels=1:2 keys_zone=dateline_pages:32m max_size=1g
                     inactive=10m use_temp_path=off;

    # A request is personal (never answered from the cache nor stored) with Django's messages
    # cookie or credentials; the session and CSRF cookies are not (public pages are the same
    # for signed-in readers: the app never marks public a page that read the session).
    map $http_cookie $dateline_personal {{
        default 0;
        "~(^|;)\\s*messages=" 1;
    }}
    # The one coding the app's page cache stores that the reader takes: part of the key.
    map $http_accept_encoding $dateline_encoding {{
        default "";
        "~*\\bbr\\b" br;
        "~*\\bgzip\\b" gzip;
    }}
    # Only what the app marks public is stored.
    map $upstream_http_cache_control $dateline_not_public {{
        default 1;
        "~*(private|no-store|no-cache)" 1;
        "~*public" 0;
    }}
    # A response kept in variants cannot be purged whole: none is kept, but for the coding,
    # which is in the key.
    map $upstream_http_vary $dateline_varies {{
        default 1;
        "" 0;
        "~*^\\s*accept-encoding\\s*$" 0;
    }}
    # "/en/?" reaches the app as "/en/": nginx keeps neither it nor anything else it could
    # not be told to purge.
    map $request_uri $dateline_unnamed {{
        default 0;
        "~\\?$" 1;
    }}

    upstream dateline_app {{
{app_servers}
        keepalive 64;
    }}
    upstream dateline_stream {{
        server {pushpin};
        keepalive 64;
    }}

    # Purges from the app's workers: PURGE <path?query>, Host and X-Dateline-Scheme as the
    # reader's request had them. On 127.0.0.1 only, from 127.0.0.1 only.
    server {{
        listen 127.0.0.1:{purge_port};
        server_name _;
        location / {{
            allow 127.0.0.1;
            deny all;
            proxy_cache_purge dateline_pages
                $http_x_dateline_scheme$http_host$request_uri#$http_x_dateline_encoding;
        }}
    }}

    server {{
        listen {host}:{http_port};
        server_name _;
        return 301 https://$host:{https_port}$request_uri;
    }}

    server {{
        listen {host}:{https_port} ssl;
        server_name _;
        ssl_certificate {certificate};
        ssl_certificate_key {certificate_key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:dateline_tls:10m;
        client_max_body_size 25m;  # photos are up to 20 MB

        # collectstatic writes each file also under a name with a hash of its content
        # (site.3e80b18f552c.css), the one pages use: it never changes, so browsers keep it
        # as long as WhiteNoise tells them to in the embedded tier (ten years, immutable).
        # Beside each file lie its .gz and .br copies, made at the highest levels once:
        # nginx sends the one the browser accepts, the file itself otherwise.
        location /static/ {{
            alias {static_root}/;
            gzip_static on;
            gzip_vary on;
{brotli_static}            expires 1h;
            add_header X-Content-Type-Options nosniff;
            location ~ "\\.[0-9a-f]{{12}}\\.[^./]+$" {{
                expires off;
                add_header Cache-Control "max-age=315360000, public, immutable";
                add_header X-Content-Type-Options nosniff;
            }}
        }}
        # Renditions only: original uploads keep their full metadata (GPS included). nginx
        # decodes and resolves ".." before it picks a location, so a path that climbs out of
        # images/ lands in /media/ (404); ^~ keeps any regex location from taking these over,
        # and no symlink is followed in the renditions folder (one placed there could point at
        # an original or anywhere else).
        location ^~ /media/images/ {{
            alias {media_root}/images/;
            disable_symlinks on from={media_root}/images;
            autoindex off;
            expires 1h;
            add_header X-Content-Type-Options nosniff;
        }}
        location ^~ /media/ {{
            return 404;
        }}
        location = /.well-known/dateline-static-check.html {{
            # The benchmark's ceiling: a page's bytes served from a file (benchmarks/prod.py).
            alias {dir}/static-check.html;
        }}

        location /events/ {{
            proxy_pass http://dateline_stream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;
            proxy_cache off;
            proxy_read_timeout 1h;
        }}

        location / {{
            proxy_pass http://dateline_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Accept-Encoding $dateline_encoding;

            proxy_cache dateline_pages;
            proxy_cache_key $scheme$http_host$request_uri#$dateline_encoding;
            proxy_cache_bypass $dateline_personal $http_authorization $dateline_unnamed;
            proxy_no_cache $dateline_personal $http_authorization $dateline_not_public
                           $dateline_varies $dateline_unnamed;
            # The app purges what nginx keeps; a page is kept at most {microcache} s, the safety
            # net for a purge that did not arrive. The app's Cache-Control is for its own cache
            # and shared caches it purges; X-Accel-Expires: 0 marks a page the app cannot purge.
            # Vary is Accept-Encoding alone on what is kept, and the coding is in the key.
            proxy_ignore_headers Cache-Control Expires Vary;
            proxy_cache_valid 200 301 404 410 {microcache}s;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 5s;
            # A purged page is gone, so the next request is a miss (the others wait for it);
            # "updating" only hands out a page past its age, which no purge has touched, while
            # one request fetches it again.
            proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            add_header X-Proxy-Cache $upstream_cache_status always;
            # What the app sent uncompressed (pages it does not cache, small ones).
            gzip on;
            gzip_vary on;
            gzip_types text/plain text/xml application/json application/xml
                       application/rss+xml application/atom+xml application/feed+json;
        }}
    }}
}}
"""


@dataclass
class NginxSite:
    directory: Path
    app_servers: list[str]
    pushpin: str
    static_root: Path
    media_root: Path
    certificate: Path
    certificate_key: Path
    host: str = "127.0.0.1"
    http_port: int = 8080
    https_port: int = 8443
    workers: int = 2
    microcache_seconds: int = 1
    purge_port: int = 8081
    purge_module: Path = PURGE_MODULE
    brotli_static_module: Path = BROTLI_STATIC_MODULE
    daemon: bool = False
    # The user nginx's workers run as when it is started as root: one that may read the var
    # directory (nginx's default, nobody, may not).
    user: str = ""

    @property
    def conf(self) -> Path:
        return self.directory / "nginx.conf"

    def render(self) -> str:
        brotli = self.brotli_static_module.exists()
        return TEMPLATE.format(
            conf=self.conf,
            user=f"user {self.user};\n" if self.user else "",
            dir=self.directory,
            workers=self.workers,
            daemon="" if self.daemon else "daemon off;",
            app_servers="\n".join(f"        server {server};" for server in self.app_servers),
            pushpin=self.pushpin,
            host=self.host,
            http_port=self.http_port,
            https_port=self.https_port,
            certificate=self.certificate,
            certificate_key=self.certificate_key,
            static_root=self.static_root,
            media_root=self.media_root,
            microcache=self.microcache_seconds,
            purge_port=self.purge_port,
            purge_module=self.purge_module,
            brotli_module=f"load_module {self.brotli_static_module};\n" if brotli else "",
            brotli_static="            brotli_static on;\n" if brotli else "",
        )

    @property
    def purge_url(self) -> str:
        """Where the app sends its purges (PAGE_CACHE_NGINX_PURGE_URL)."""
        return f"http://127.0.0.1:{self.purge_port}"

    def write(self) -> Path:
        """Write nginx.conf and the directories nginx needs; return the file's path."""
        for sub in ("log", "cache", "tmp"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(self.render())
        return self.conf
