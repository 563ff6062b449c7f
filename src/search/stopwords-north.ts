/**
 * Stop words of the Nordic languages and Turkish, adapted from the Snowball project's stop lists (BSD licence),
 * shortened to the common forms (Norwegian without the Nynorsk ones) plus greetings and thanks, which carry no
 * meaning in a chat line but tell Danish (hej, tak) from Norwegian (hei, takk).
 */
export const STOPWORDS_NORTH = {
  sv:
    "och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du henne då " +
    "sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp vi dem vara vad " +
    "över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta åt utan varit hur " +
    "ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan " +
    "sådant varför varje vilka ditt vem vilket sådana vart dina vars vårt våra ert era hej tack ja nej",
  da:
    "og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun " +
    "nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog " +
    "noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit " +
    "sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været jer sådan hvorfor nogen ved så siden mere hej tak ja nej",
  no:
    "og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om vi min mitt ha " +
    "hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv her alle vil bli ble " +
    "blitt kunne inn når være kom noen noe ville dere deres kun etter ned skulle denne for deg si sine sitt mot å " +
    "hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn mellom vår hver hvem hvis både " +
    "bare enn fordi før mange også slik vært begge siden hos mer hei takk ja nei",
  fi:
    "olla olen olet on olemme olette ovat ole oli olisi olin olimme olivat ollut olleet en et ei emme ette eivät " +
    "minä minun minut minua minulla minulle sinä sinun sinut sinua sinulla sinulle hän hänen hänet häntä hänellä " +
    "hänelle me meidän meitä meillä meille te teidän teitä teillä teille he heidän heitä heillä heille tämä tämän " +
    "tätä tässä tästä tähän tuo tuon tuota tuossa se sen sitä siinä siitä siihen sillä nämä näitä nuo ne niiden " +
    "niitä kuka ketä mikä minkä mitä missä mistä mihin miksi joka jonka jota jossa josta johon jotka että ja jos " +
    "koska kuin mutta niin sekä tai vaan vai vaikka kanssa mukaan noin yli kun nyt itse myös vielä jo onko ovatko joku jotain kaikki moi kiitos joo",
  tr:
    "acaba ama aslında az bazı belki biri birkaç birşey biz bu çok çünkü da daha de defa diye eğer en gibi hem hep " +
    "hepsi her hiç için ile ise kez ki kim mı mi mu mü nasıl ne neden nerede nereye niçin niye o sanki şey siz şu " +
    "tüm ve veya ya yani ben sen onlar bunu şunu onu bana sana ona var yok evet hayır merhaba teşekkürler tamam " +
    "olarak olan bir",
} as const;
