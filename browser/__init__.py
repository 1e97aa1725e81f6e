"""The Neo4j Browser assets: the movegraph style (GraSS) and the ready queries its guide is made from."""
