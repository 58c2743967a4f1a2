package config

import "testing"

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in string
		extra    []string
		want     string
	}{
		{"plain URL unchanged, byte for byte", "https://www.hespress.com/feed?item&b=%7e", nil, "https://www.hespress.com/feed?item&b=%7e"},
		{"userinfo dropped", "http://user:secret@host/feed", nil, "http://host/feed"},
		{"user name alone dropped", "http://user@host/feed", nil, "http://host/feed"},
		{"apikey value redacted, other parameters kept", "http://host/feed?apikey=TOKEN&lang=fr", nil, "http://host/feed?apikey=REDACTED&lang=fr"},
		{"names ignore case and dashes", "http://host/f?API-KEY=a&Access_Token=b&X-Amz-Signature=c&sig=d", nil, "http://host/f?API-KEY=REDACTED&Access_Token=REDACTED&X-Amz-Signature=REDACTED&sig=REDACTED"},
		{"suffixes: client_secret, private_token", "http://host/f?client_secret=a&private_token=b&monkey=c", nil, "http://host/f?client_secret=REDACTED&private_token=REDACTED&monkey=c"},
		{"camelCase names of the attack", "http://h/f?x=1&accessToken=a&authToken=b&apiToken=c&appKey=d&privateToken=e&sessionToken=f&clientSecret=g&secretKey=h&jwt=i&bearer=j&api.key=k",
			nil, "http://h/f?x=1&accessToken=REDACTED&authToken=REDACTED&apiToken=REDACTED&appKey=REDACTED&privateToken=REDACTED&sessionToken=REDACTED&clientSecret=REDACTED&secretKey=REDACTED&jwt=REDACTED&bearer=REDACTED&api.key=REDACTED"},
		{"a presigned URL's credential (noticed at stop 21: shown)", "http://h/f.xml?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIAX%2F2026&X-Goog-Credential=sa%40p&X-Amz-Date=1",
			nil, "http://h/f.xml?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Goog-Credential=REDACTED&X-Amz-Date=1"},
		{"a session id by any prefix", "http://h/f?jsessionid=AB12&PHPSESSID=CD34", nil, "http://h/f?jsessionid=REDACTED&PHPSESSID=REDACTED"},
		{"sid, the short session id (seen from outside: shown)", "http://h/f?sid=AB12&side=l", nil, "http://h/f?sid=REDACTED&side=l"},
		{"codes, hashes, tickets and key ids (seen from outside at stop 27: shown)", "http://h/f?code=a&hash=b&hmac=c&ticket=d&key_id=e&keyId=f&X-Hmac=g&zipcode=2&hashtag=x",
			nil, "http://h/f?code=REDACTED&hash=REDACTED&hmac=REDACTED&ticket=REDACTED&key_id=REDACTED&keyId=REDACTED&X-Hmac=REDACTED&zipcode=2&hashtag=x"},
		{"one-time passwords and versioned key names (seen from outside at stop 27's third look: shown)", "http://h/f?otp=1&apikey_v2=a&access_token_2=b&apiversion=3",
			nil, "http://h/f?otp=REDACTED&apikey_v2=REDACTED&access_token_2=REDACTED&apiversion=3"},
		{"a control character in a name (seen from outside: token%00 shown)", "http://h/f?token%00=a&x=1", nil, "http://h/f?token%00=REDACTED&x=1"},
		{"PHP array names (seen from outside: shown)", "http://h/f?Token[]=a&sid%5B%5D=b&secret[x]=c&page[]=2", nil, "http://h/f?Token[]=REDACTED&sid%5B%5D=REDACTED&secret[x]=REDACTED&page[]=2"},
		{"a session id as a path parameter (seen from outside: shown)", "http://h/feed;jsessionid=ABC123?x=1", nil, "http://h/feed;jsessionid=REDACTED?x=1"},
		{"semicolon separators", "http://h/f?x=1;apikey=TKSECRET7", nil, "http://h/f?x=1;apikey=REDACTED"},
		{"a token in the fragment", "http://h/f.json#frag?token=TOKENFFF", nil, "http://h/f.json"},
		{"a URL inside a parameter of a proxy", "http://h/redir?to=http%3A%2F%2Fu%3ASECRETX%40i.example%2Ff%3Fapikey%3DSECRETY",
			nil, "http://h/redir?to=http%3A%2F%2Fi.example%2Ff%3Fapikey%3DREDACTED"},
		{"secret_params adds names", "http://host/f?sessid=a&page=2", []string{"SessID"}, "http://host/f?sessid=REDACTED&page=2"},
		{"percent-encoded name", "http://host/f?api%5Fkey=a", nil, "http://host/f?api%5Fkey=REDACTED"},
		{"valueless parameter kept", "http://host/f?token", nil, "http://host/f?token"},
		{"unparsable URL not shown", "http://host/%zz?token=a", nil, "[unparsable URL]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactURL(tt.in, tt.extra); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSourceRedact(t *testing.T) {
	s := &Source{URL: "http://alice:pw-1234@host/f?token=TOKEN1&k=v", secretParams: []string{"k"}}
	tests := []struct{ name, in, want string }{
		{"url.Error with the password stripped by net/http", `fetch: Get "http://alice:***@host/f?token=TOKEN1&k=v": dial tcp: refused`,
			`fetch: Get "http://host/f?token=REDACTED&k=REDACTED": dial tcp: refused`},
		{"URL followed by a colon", "fetch http://alice:pw-1234@host/f?token=TOKEN1: body too large", "fetch http://host/f?token=REDACTED body too large"},
		{"a credential outside any URL", "server said: bad token TOKEN1 for alice", "server said: bad token REDACTED for REDACTED"},
		{"no URL, no secret", "feeds: empty body: not a feed", "feeds: empty body: not a feed"},
		{"a scheme-relative URL", `sources[0].url: must be an absolute http(s) URL, got "//u:PWSECRET5@host/f?apikey=TKSECRET5"`, `sources[0].url: must be an absolute http(s) URL, got "//host/f?apikey=REDACTED"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
