echo: copies stdin to stdout until EOF
the cell is zeroed before every read so that EOF (which leaves
the cell unchanged) ends the loop; input must not contain NUL

,[.[-],]
