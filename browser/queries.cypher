// movegraph ready queries for the Neo4j Browser. Set the parameters first, e.g.
//   :param region => 'RU-KRS'
//   :param from => '2024-10-01'
//   :param to => '2024-10-31'
//   :param actor => 'KP/military'
//   :param edge => '<a MOVED_TO key>'

// 1. Movements into a region (or any place inside it) in a date range, as a graph
MATCH p = (a:Actor)-[m:MOVED_TO]->(l:Location)-[:PART_OF*0..2]->(r:Location {key: $region})
WHERE coalesce(m.end, m.start) >= date($from) AND coalesce(m.start, m.end) <= date($to)
RETURN p;

// 2. An actor's timeline
MATCH (a:Actor {key: $actor})-[m:MOVED_TO]->(l:Location)
RETURN l.key AS place, l.name AS name, m.start AS start, m.end AS end, m.modality AS modality,
       m.quantity AS quantity, m.sources AS sources, m.article_id AS article
ORDER BY coalesce(m.end, m.start);

// 3. All evidence sentences of one edge, with the article they come from
MATCH (a:Actor)-[m:MOVED_TO {key: $edge}]->(l:Location), (art:Article {id: m.article_id})
UNWIND range(0, size(m.sentences) - 1) AS i
RETURN art.title AS article, art.url AS url, m.triggers[i] AS trigger, m.sentences[i] AS sentence,
       m.sentence_starts[i] AS sentence_start;

// 4. Expected / hypothetical / denied moves next to asserted ones
MATCH (a:Actor)-[m:MOVED_TO]->(l:Location)
RETURN m.modality AS modality, m.factual AS factual, count(*) AS edges,
       collect(a.name + ' -> ' + l.name)[..5] AS examples
ORDER BY edges DESC;

// 5. Movements by source (the outlet of the article)
MATCH (a:Actor)-[m:MOVED_TO]->(l:Location), (art:Article {id: m.article_id})
RETURN art.source AS source, count(m) AS edges, count(DISTINCT art) AS articles,
       collect(DISTINCT l.key)[..10] AS destinations
ORDER BY edges DESC;

// 6. The whole movement graph (small graphs only)
MATCH p = (:Actor)-[:MOVED_TO]->(:Location) RETURN p LIMIT 300;

// 7. Claims against denials: how many articles assert, expect, doubt or deny an actor's move into a region
//    For an actor and a place (and every place inside it), in a date window: per modality (asserted,
//    expected, hypothetical, negated = did not happen, denied), the number of articles, their outlets,
//    the first and last dates, and the evidence (article, url, sentences) to click through.
//    Uses $actor, $region, $from and $to from the top (set $from or $to to null for an open window).
//    `movegraph claims --actor KEY --place KEY [--since DAY] [--until DAY]` prints the same numbers.
MATCH (r:Location {key: $region})<-[:PART_OF*0..]-(l:Location)<-[m:MOVED_TO]-(a:Actor {key: $actor})
WHERE ($from IS NULL OR coalesce(m.end, m.start) >= date($from))
  AND ($to IS NULL OR coalesce(m.start, m.end) <= date($to))
WITH DISTINCT a, r, l, m
OPTIONAL MATCH (art:Article {id: m.article_id})
WITH a, r, l, m, art ORDER BY coalesce(m.start, m.end), m.article_id
RETURN a.key AS actor, r.key AS place, m.modality AS modality,
       count(DISTINCT m.article_id) AS articles,
       [s IN collect(DISTINCT art.source) WHERE s IS NOT NULL] AS sources,
       min(coalesce(m.start, m.end)) AS first, max(coalesce(m.end, m.start)) AS last,
       collect({article: m.article_id, url: art.url, place: l.key, edge: m.key,
                sentences: m.sentences}) AS evidence
ORDER BY CASE modality WHEN 'asserted' THEN 0 WHEN 'expected' THEN 1 WHEN 'hypothetical' THEN 2
                       WHEN 'negated' THEN 3 ELSE 4 END;

// 8. Top destinations this week: places most articles published in the last seven days send actors to
MATCH (a:Actor)-[m:MOVED_TO]->(l:Location), (art:Article {id: m.article_id})
WHERE art.published >= date() - duration('P7D')
RETURN l.key AS place, l.name AS name, count(DISTINCT art) AS articles, collect(DISTINCT a.name)[..5] AS actors
ORDER BY articles DESC LIMIT 10;
