// movegraph ready queries for the Neo4j Browser. Set the parameters first, e.g.
//   :param region => 'RU-KRS'
//   :param from => date('2024-10-01')
//   :param to => date('2024-10-31')
//   :param actor => 'KP/military'
//   :param edge => '<a MOVED_TO key>'

// 1. Movements into a region (or any place inside it) in a date range, as a graph
MATCH p = (a:Actor)-[m:MOVED_TO]->(l:Location)-[:PART_OF*0..2]->(r:Location {key: $region})
WHERE coalesce(m.end, m.start) >= $from AND coalesce(m.start, m.end) <= $to
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
