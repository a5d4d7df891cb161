package nativeseg.site;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * db.xml.gz, the index of an update site: a gzipped {@code pluginRecords} document with the
 * updater's DTD inline and one {@code plugin} record per file (net.imagej.updater.XMLFileWriter
 * writes the same elements and attributes).
 */
public final class SiteIndex {
    private SiteIndex() {}

    // The updater validates db.xml.gz against this DTD (XMLFileWriter).
    private static final String DTD = String.join("\n",
        "<!DOCTYPE pluginRecords [",
        "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>",
        "<!ELEMENT update-site EMPTY>",
        "<!ELEMENT disabled-update-site EMPTY>",
        "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>",
        "<!ELEMENT version (description?, dependency*, link*, author*)>",
        "<!ELEMENT previous-version EMPTY>",
        "<!ELEMENT description (#PCDATA)>",
        "<!ELEMENT dependency EMPTY>",
        "<!ELEMENT link (#PCDATA)>",
        "<!ELEMENT author (#PCDATA)>",
        "<!ELEMENT platform (#PCDATA)>",
        "<!ELEMENT category (#PCDATA)>",
        "<!ATTLIST update-site name CDATA #REQUIRED>",
        "<!ATTLIST update-site url CDATA #REQUIRED>",
        "<!ATTLIST update-site ssh-host CDATA #IMPLIED>",
        "<!ATTLIST update-site upload-directory CDATA #IMPLIED>",
        "<!ATTLIST update-site description CDATA #IMPLIED>",
        "<!ATTLIST update-site maintainer CDATA #IMPLIED>",
        "<!ATTLIST update-site timestamp CDATA #REQUIRED>",
        "<!ATTLIST disabled-update-site name CDATA #REQUIRED>",
        "<!ATTLIST disabled-update-site url CDATA #REQUIRED>",
        "<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>",
        "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>",
        "<!ATTLIST disabled-update-site description CDATA #IMPLIED>",
        "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>",
        "<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>",
        "<!ATTLIST plugin update-site CDATA #IMPLIED>",
        "<!ATTLIST plugin filename CDATA #REQUIRED>",
        "<!ATTLIST plugin executable CDATA #IMPLIED>",
        "<!ATTLIST dependency filename CDATA #REQUIRED>",
        "<!ATTLIST dependency timestamp CDATA #IMPLIED>",
        "<!ATTLIST dependency overrides CDATA #IMPLIED>",
        "<!ATTLIST version timestamp CDATA #REQUIRED>",
        "<!ATTLIST version checksum CDATA #REQUIRED>",
        "<!ATTLIST version filesize CDATA #REQUIRED>",
        "<!ATTLIST previous-version filename CDATA #IMPLIED>",
        "<!ATTLIST previous-version timestamp CDATA #REQUIRED>",
        "<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>",
        "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>") + "\n";

    public static void write(final List<FileRecord> records, final OutputStream target) throws IOException {
        final String xml;
        try {
            final Document doc = parser().newDocument();
            final Element root = doc.createElement("pluginRecords");
            doc.appendChild(root);
            for (final FileRecord r : records) {
                final Element p = child(root, "plugin", null);
                p.setAttribute("filename", r.filename);
                for (final String platform : r.platforms) child(p, "platform", platform);
                for (final String category : r.categories) child(p, "category", category);
                final Element v = child(p, "version", null);
                v.setAttribute("checksum", r.checksum);
                v.setAttribute("timestamp", r.timestamp);
                v.setAttribute("filesize", Long.toString(r.filesize));
                if (r.description != null) child(v, "description", r.description);
                for (final FileRecord.Previous old : r.previous) {
                    final Element e = child(p, "previous-version", null);
                    e.setAttribute("timestamp", old.timestamp);
                    e.setAttribute("checksum", old.checksum);
                }
            }
            final Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            final StringWriter text = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(text));
            xml = text.toString();
        } catch (final ParserConfigurationException | TransformerException e) {
            throw new IOException("cannot write the update-site index: " + e.getMessage(), e);
        }
        // DOM cannot hold an internal DTD subset; put it before the root element as the updater does.
        final int root = xml.indexOf("<pluginRecords");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(target), StandardCharsets.UTF_8)) {
            w.write(xml.substring(0, root));
            if (!xml.substring(0, root).endsWith("\n")) w.write("\n");
            w.write(DTD);
            w.write(xml.substring(root));
        }
    }

    private static Element child(final Element parent, final String tag, final String text) {
        final Element e = parent.getOwnerDocument().createElement(tag);
        if (text != null) e.setTextContent(text);
        parent.appendChild(e);
        return e;
    }

    /** Reads db.xml.gz; errors name the file and what is wrong with it. */
    public static List<FileRecord> read(final File dbXmlGz) throws IOException {
        final Document doc;
        try (InputStream in = new GZIPInputStream(new FileInputStream(dbXmlGz))) {
            doc = parser().parse(in);
        } catch (final SAXException | ParserConfigurationException e) {
            throw new IOException(dbXmlGz + ": not a valid update-site index (" + e.getMessage() + ")", e);
        }
        final List<FileRecord> records = new ArrayList<>();
        final NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            final Element p = (Element) plugins.item(i);
            final FileRecord r = new FileRecord(p.getAttribute("filename"));
            for (Node c = p.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (!(c instanceof Element)) continue;
                final Element e = (Element) c;
                switch (e.getTagName()) {
                    case "platform": r.platforms.add(e.getTextContent().trim()); break;
                    case "category": r.categories.add(e.getTextContent().trim()); break;
                    case "version":
                        r.checksum = e.getAttribute("checksum");
                        r.timestamp = e.getAttribute("timestamp");
                        r.filesize = Long.parseLong(e.getAttribute("filesize"));
                        final NodeList d = e.getElementsByTagName("description");
                        if (d.getLength() > 0) r.description = d.item(0).getTextContent();
                        break;
                    case "previous-version":
                        r.previous.add(new FileRecord.Previous(e.getAttribute("timestamp"), e.getAttribute("checksum")));
                        break;
                    default: break;
                }
            }
            records.add(r);
        }
        return records;
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(false);
        f.setExpandEntityReferences(false);
        final DocumentBuilder b = f.newDocumentBuilder();
        // The DTD is inline; never fetch anything from outside.
        b.setEntityResolver((publicId, systemId) -> new org.xml.sax.InputSource(new ByteArrayInputStream(new byte[0])));
        return b;
    }

}
