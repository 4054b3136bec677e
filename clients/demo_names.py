"""Names, towns and business names of the bulk demo clients, in English, Spanish and French.

Each list of names is in order of frequency: the generator draws the first ones far more
often than the last, as in real populations, so that some names are common and others rare.
"""

from .choices import Gender

NAMES = {
    "en": {
        Gender.FEMALE: """Mary Grace Elizabeth Sarah Patricia Jennifer Linda Barbara Susan Jessica
            Margaret Emily Hannah Olivia Emma Charlotte Amelia Sophia Chloe Lucy Ruth Joy Faith
            Mercy Esther Rebecca Abigail Naomi Victoria Gwendolyn""".split(),
        Gender.MALE: """John James Robert Michael David William Joseph Peter Samuel Thomas Charles
            Daniel Paul George Richard Matthew Andrew Mark Edward Henry Benjamin Isaac Moses Stephen
            Kenneth Brian Kevin Anthony Christopher Bartholomew""".split(),
        "last": """Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas
            Moore Jackson White Harris Martin Thompson Wood Lewis Scott Walker Hall Allen Young King
            Wright Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell
            Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Reed Bailey
            Bell Kelly Howard Ward Cox Brooks Gray Watson Hughes Price Bennett Barnes Ross Henderson
            Jenkins Perry Powell Fisher Ellis Harrison Gibson McDonald Marshall Kennedy Wells
            Fletcher Thornton Whitfield Ashworth Pemberton Fairweather""".split(),
    },
    "es": {
        Gender.FEMALE: """María Carmen Ana Lucía Sofía Isabel Laura Marta Elena Rosa Pilar Paula
            Dolores Inés Beatriz Raquel Mónica Verónica Ángela Andrea Claudia Natalia Adriana
            Gabriela Valentina Camila Ximena Guadalupe Begoña Nerea Itziar""".split(),
        Gender.MALE: """José Juan Antonio Manuel Francisco Luis Javier Carlos Miguel Ángel Jesús
            Pedro Alejandro Fernando Sergio Pablo Jorge Alberto Raúl Andrés Diego Rubén Óscar Tomás
            Iván Joaquín Ramón Nicolás Agustín Martín Íñigo""".split(),
        "last": """García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín
            Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres
            Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado
            Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo Santos
            Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña
            Flores Cabrera Campos Vega Fuentes Carrasco Reyes Aguilar Ibáñez Durán Benítez Quiñones
            Echeverría Zubizarreta Arrizabalaga""".split(),
    },
    "fr": {
        Gender.FEMALE: """Marie Nathalie Isabelle Sylvie Catherine Françoise Valérie Christine
            Sandrine Céline Sophie Stéphanie Émilie Julie Aurélie Camille Léa Manon Chloé Inès
            Hélène Élodie Agnès Mathilde Zoé Noémie Anaïs Clémence Maëlle Gaëlle Bérénice""".split(),
        Gender.MALE: """Jean Pierre Michel André Philippe Alain Jacques Bernard Éric Nicolas
            Stéphane Christophe Sébastien Frédéric Laurent Olivier Thierry Julien François Mathieu
            Jérôme Benoît Cédric Hugo Théo Lucas Noé Raphaël Loïc Anaël Aurélien""".split(),
        "last": """Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon
            Michel Lefèbvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert
            Fontaine Rousseau Vincent Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier
            Chevalier François Legrand Gauthier Perrin Robin Clément Morin Henry Roussel Mathieu
            Masson Marchand Duval Denis Dumont Lemaire Noël Meunier Brun Blanchard Giraud Joly
            Rivière Brunet Gaillard Barbier Arnaud Gérard Roche Renard Carré Ménard Prévost Léger
            Lévêque Barthélemy Étienne Maréchal Bénard Desrosiers""".split(),
    },
}
TOWNS = {
    "en": """Riverton Millbrook Ashford Kingsbury Oakridge Fairview Greenwood Westfield Northgate
            Brookside Elmstead Hawthorne Redcliff Stonebridge Clearwater Maplewood Sandhurst Whitby
            Lakeport Harrowgate""".split(),
    "es": """Valparaíso Cañada Peñalba Almería Córdoba Jaén Cádiz Logroño Ávila Segovia Cuenca
            Mérida Tarija Cochabamba Chiclayo Ibagué Cúcuta Zapopan Mazatlán Morelia""".split(),
    "fr": """Évreux Besançon Orléans Nîmes Sète Béziers Châlons Valence Angoulême Périgueux Québec
            Lévis Thiès Kaolack Ségou Sikasso Bouaké Korhogo Parakou Abomey""".split(),
}
COUNTRIES = {"en": "Kenya", "es": "Guatemala", "fr": "Sénégal"}
PHONE_PREFIXES = {"en": "+2547", "es": "+5025", "fr": "+2217"}
BUSINESS_FORMS = {
    "en": ["{last} Trading Ltd", "{last} & Sons", "{town} General Store", "{last} Farm Supplies"],
    "es": ["Comercial {last} S.A.", "Tienda {first}", "Cooperativa {town}", "Transportes {last}"],
    "fr": ["Boulangerie {last}", "Épicerie du {town}", "{last} et Fils SARL", "Atelier {first}"],
}
LANGUAGES = ["en", "es", "fr"]
